"""Command palette: every described key binding of the current screen as a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from moderator.screens.help import described_bindings, key_label


class ScreenCommands(Provider):
    """Offers the actions of the screen the palette was opened on (and the app's)."""

    def _commands(self):
        for node, binding in described_bindings(self.screen):
            if node.check_action(binding.action.rpartition(".")[2], ()) is False:
                continue
            name = binding.description
            help_text = f"{binding.tooltip} ({key_label(binding)})" if binding.tooltip \
                else key_label(binding)
            yield name, help_text, partial(node.run_action, binding.action)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
