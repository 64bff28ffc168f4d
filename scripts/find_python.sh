#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter (3.13 preferred), or nothing.
# pyenv shims fail unless their version is selected, so pyenv's installs are tried directly too.
pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
candidates=(
  ${PYTHON:-}
  python3.13 python3.12
  "$pyenv_root"/versions/3.13*/bin/python3
  "$pyenv_root"/versions/3.12*/bin/python3
  /usr/local/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.12
  python3
)
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
exit 1
