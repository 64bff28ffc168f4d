// The body editor's own extensions (PROSE_EXTENSIONS in articles/admin/forms.py):
// corrections as <del>/<ins>, and embeds stored as the post's URL. The server checks both
// again (articles/sanitize.py, articles/body/embeds.py).
import { Extension, Mark, Node, updateAttrsDialog } from "django-prose-editor/editor"

// A heading's id (an anchor someone may have linked to, e.g. from an import) survives editing;
// headings without one get theirs from their text when the page is rendered.
export const AnchorIds = Extension.create({
  name: "anchorIds",
  addGlobalAttributes() {
    return [
      {
        types: ["heading"],
        attributes: {
          id: {
            default: null,
            keepOnSplit: false, // Enter inside a heading must not copy its anchor
            parseHTML: (element) => element.getAttribute("id"),
            renderHTML: (attributes) => (attributes.id ? { id: attributes.id } : {}),
          },
        },
      },
    ]
  },
})

// Struck-out text of a correction: <del>, not Strike's <s> (which also reads <del>, hence
// the higher priority here).
export const Deletion = Mark.create({
  name: "deletion",
  priority: 110,
  parseHTML() {
    return [{ tag: "del" }]
  },
  renderHTML() {
    return ["del", 0]
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "deletion",
      groups: "marks",
      button: buttons.text("del", "Correction: mark as deleted"),
      command(editor) {
        editor.chain().focus().toggleMark("deletion").run()
      },
      active: (editor) => editor.isActive("deletion"),
    })
  },
})

export const Insertion = Mark.create({
  name: "insertion",
  parseHTML() {
    return [{ tag: "ins" }]
  },
  renderHTML() {
    return ["ins", 0]
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "insertion",
      groups: "marks",
      button: buttons.text("ins", "Correction: mark as inserted"),
      command(editor) {
        editor.chain().focus().toggleMark("insertion").run()
      },
      active: (editor) => editor.isActive("insertion"),
    })
  },
})

const embedDialog = updateAttrsDialog(
  {
    url: {
      type: "string",
      title: "Post or video URL",
      description:
        "YouTube, Vimeo, X, Bluesky, Mastodon, Instagram or Facebook. Readers see a card until they choose to load it.",
      format: "url",
      required: true,
    },
  },
  { title: "Embed a post or video", submitText: "Embed" },
)

// A post or video: only its URL is stored; readers get a card (templates/includes/embed_card.html).
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { url: { default: "" } }
  },
  parseHTML() {
    return [
      {
        tag: "figure[data-embed]",
        priority: 100, // before the Figure extension's rule
        getAttrs: (element) => ({ url: element.getAttribute("data-embed") }),
      },
    ]
  },
  renderHTML({ node }) {
    const url = node.attrs.url
    return ["figure", { "data-embed": url }, ["a", { href: url }, url]]
  },
  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "prose-embed"
      dom.setAttribute("data-embed", node.attrs.url)
      const label = document.createElement("strong")
      label.textContent = "Embed: "
      dom.append(label, document.createTextNode(node.attrs.url))
      return { dom }
    }
  },
  addCommands() {
    return {
      insertEmbed:
        (url) =>
        ({ commands }) =>
          // A paragraph after it, for the cursor: typing on must not replace the embed.
          commands.insertContent([{ type: this.name, attrs: { url } }, { type: "paragraph" }]),
    }
  },
  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.text("Embed", "Embed a post or video by its URL"),
      command(editor) {
        embedDialog(editor, { url: "" }).then((attrs) => {
          const url = attrs && attrs.url ? attrs.url.trim() : ""
          if (url) editor.chain().focus().insertEmbed(url).run()
        })
      },
    })
  },
})
