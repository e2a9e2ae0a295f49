"""English messages of vpclab.topology and vpclab render (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "topology.trace": "{verdict} trace {source} → {destination}",
    "render.bad_format": "cannot write '{suffix}' pictures",
    "render.bad_format_fix": "name the output .svg, .png or .dot",
    "render.wrote": "wrote {path}",
    "cli.help.render": "draw the topology of a configuration (describe JSON), optionally with a trace on it",
}
MESSAGES.update({
    "cli.render_needs_both": "a trace on the picture needs both --from and --to",
    "cli.render_needs_both_fix": "give --from SRC --to DST (and --port), or neither",
})
