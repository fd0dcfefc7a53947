"""The interactive search shell (`searchkit shell`), built on prompt_toolkit.

`app` wires the pieces: `completer`, `lexer`, `keybindings`, `toolbar`,
`style`, `pager`, the `commands` table and the session `state`.
"""
