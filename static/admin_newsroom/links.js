// The body editor's link tool leaves the linked words selected, so the next key typed
// would replace them: once a link is set or changed, put the cursor just after it.
// (Typing there is plain text: the Link extension is configured with autolink off,
// which makes the link mark end where the link ends.)
document.addEventListener("prose-editor:ready", function (event) {
  "use strict";
  const editor = event.detail.editor;
  editor.on("transaction", function ({ transaction }) {
    const linked = transaction.steps.some(function (step) {
      const json = step.toJSON();
      return json.stepType === "addMark" && json.mark && json.mark.type === "link";
    });
    if (linked && !editor.state.selection.empty) {
      // After this transaction has been applied, not in the middle of it.
      queueMicrotask(function () {
        editor.commands.setTextSelection(editor.state.selection.to);
      });
    }
  });
});
