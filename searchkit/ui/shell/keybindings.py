"""Keys beyond prompt_toolkit's defaults.

- Ctrl-C clears the line (the shell never exits on it); Ctrl-D on an empty
  line leaves (prompt_toolkit's default).
- Ctrl-Space opens the completion menu.
- PageDown / PageUp on an empty line show the next / previous page of hits.
"""

from __future__ import annotations

from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def build_key_bindings() -> KeyBindings:
    """The shell's key bindings."""
    kb = KeyBindings()

    @Condition
    def empty_line() -> bool:
        return not get_app().current_buffer.text

    @kb.add("c-c")
    def _clear(event: KeyPressEvent) -> None:
        event.current_buffer.reset()

    @kb.add("c-space")
    def _complete(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.complete_state:
            buffer.complete_next()
        else:
            buffer.start_completion(select_first=False)

    def submit(command: str):
        def handler(event: KeyPressEvent) -> None:
            event.current_buffer.text = command
            event.current_buffer.validate_and_handle()

        return handler

    kb.add("pagedown", filter=empty_line)(submit(":next"))
    kb.add("pageup", filter=empty_line)(submit(":prev"))
    return kb
