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
MESSAGES.update({
    "cli.help.lint": "find configurations AWS accepts but that are probably mistakes, explained",
    "cli.help.reach": "which instances and interfaces can reach a destination, and what stops the others",
    "cli.help.export": "write a configuration (file or folder of describe JSON) as one combined JSON file",
    "cli.help.collect": "read an AWS account's network configuration (read-only describe calls) into a JSON file",
})
