"""Password hashing: Argon2id with OWASP's parameters, first in PASSWORD_HASHERS.

Why not Django's default, PBKDF2: every wrong password sent to /admin/login/ is hashed
before the login throttle (articles/login_throttle.py) locks its sender out, and PBKDF2 at
Django's 1,500,000 iterations makes each one a CPU-bound request taken from the readers.
Argon2id with OWASP's minimum (19 MiB of memory, 2 passes, 1 lane; the Password Storage
Cheat Sheet) costs a small fraction of that (figures in the README, "Admin sign-in") and,
being memory-hard, resists GPU cracking better.
Django's own Argon2PasswordHasher defaults to 100 MiB and 8 lanes, heavier for a web worker.
Hashes keep Django's "argon2$argon2id$..." format; older ones (PBKDF2, or other Argon2
parameters) are rehashed with these at their owner's next successful sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OWASPArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB, t=2, p=1 (OWASP's recommended minimum)."""

    memory_cost = 19456  # KiB
    time_cost = 2
    parallelism = 1
