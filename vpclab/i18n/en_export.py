"""English messages of vpclab.export (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- vpclab.awsexport: what AWS describe output cannot carry ------------------------------
    "export.dx_vif": "Direct Connect virtual interface {vif} on {vgw} is not written: it belongs to the Direct Connect API, not to EC2 describe output; the prefixes it brings ({prefixes}) show only as routes the VGW propagates, and loading the file back leaves them out",
    "export.nat_instance": "{eni} works as a NAT instance, which AWS describe output cannot say (it is the instance's own configuration); it is tagged {tag}, but loading the file back gives a plain router that does not masquerade",
    "export.bgp_hidden": "VPN connection {vpn} advertises {prefixes} over BGP, but no written route shows them (propagate its routes into a route table to keep them); loading the file back loses them",
    "export.bgp_shared": "VPN connection {vpn} shares {vgw} with the BGP connections {others}; describe output cannot say which one advertises what, so loading the file back gives each of them all their prefixes",
    # --- vpclab export (the command) -----------------------------------------------------------
    "export.help.file": "AWS describe JSON: one combined file, or a folder of aws ec2 describe-* outputs",
    "export.help.output": "where to write the combined JSON (default: standard output)",
    "export.written": "wrote {path}: {count} resources",
    "export.skipped": "{count} parts of the input were skipped (see the warnings of Cloud.from_aws)",
}
