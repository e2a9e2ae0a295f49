"""Every object a learner meets displays itself: text always, plus HTML or SVG; never raises.

And in a kernel, a VpcLabError shows as a short message with its fix, not a traceback.
"""

from __future__ import annotations

from typing import Any

import nbformat
import pytest

from vpclab import Cloud, parse, render
from vpclab.display import Displayable
from vpclab.grading.score import execute_notebook
from vpclab.resources import NatGateway


def lesson_world() -> dict[str, Any]:
    cloud = Cloud(seed=0)
    cloud.create_vpc("10.0.0.0/16", name="lab")
    cloud.add_internet_gateway("lab")
    cloud.add_public_subnet("lab", "10.0.1.0/24", name="web")
    sg = cloud.create_security_group("lab", "web-sg")
    cloud.allow(sg, 443)
    web = cloud.launch("web", "w1", sg)
    trace = cloud.trace("203.0.113.5", "w1", port=443)
    cloud.add_private_subnet("lab", "10.0.2.0/24", name="app", nat_in="web")
    app = cloud.launch("app", "a1")
    cloud.open_connection(app, "198.51.100.7", port=443)
    nat = next(n for n in cloud._all(NatGateway))
    return {
        "Cloud": cloud, "Vpc": cloud.get("lab"), "Subnet": cloud.get("web"),
        "RouteTable": cloud.route_table_for("web"), "NetworkAcl": cloud.network_acl_for("web"),
        "SecurityGroup": cloud.get(sg), "Instance": web, "Cidr": parse("10.0.0.0/24"),
        "Trace": trace, "NatTable": cloud.nat_translations(nat),
    }


WORLD = lesson_world()
RICH = {"text/html", "image/svg+xml"}


@pytest.mark.parametrize("kind", sorted(WORLD))
def test_every_object_has_text_and_a_rich_display(kind: str) -> None:
    bundle = WORLD[kind]._repr_mimebundle_()
    assert isinstance(bundle["text/plain"], str) and bundle["text/plain"]
    assert RICH & set(bundle), f"{kind} has only text"
    for rich in RICH & set(bundle):
        assert bundle[rich].lstrip().startswith(("<", "<?xml")), rich


def test_rule_tables_show_every_rule_in_order() -> None:
    acl = WORLD["NetworkAcl"]._html_()
    assert acl.index("<td>100</td>") < acl.index("<td>*</td>") and "first match wins" in acl
    sg = WORLD["SecurityGroup"]._html_()
    assert "TCP 443 0.0.0.0/0" in sg and "stateful" in sg
    routes = WORLD["RouteTable"]._html_()
    assert "<td>local</td>" in routes and "<td>0.0.0.0/0</td>" in routes


def test_the_cloud_draws_its_topology() -> None:
    svg = WORLD["Cloud"]._repr_mimebundle_()["image/svg+xml"]
    assert "<svg" in svg and "10.0.1.0/24" in svg and "internet gateway" in svg
    assert "image/svg+xml" not in Cloud(seed=0)._repr_mimebundle_()  # nothing to draw yet


def test_without_dot_the_cloud_falls_back_to_text_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    bundle = WORLD["Cloud"]._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    assert "10.0.1.0/24" in bundle["text/plain"] and "graphviz" in bundle["text/plain"]


class Broken(Displayable):
    def __init__(self, where: str) -> None:
        self.where = where

    def _text_(self) -> str:
        if self.where == "text":
            raise RuntimeError("text broke")
        return "fine text"

    def _html_(self) -> str:
        raise RuntimeError("html broke")


@pytest.mark.parametrize("where", ["text", "html"])
def test_a_display_never_raises(where: str) -> None:
    bundle = Broken(where)._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "broke" in bundle["text/plain"]


@pytest.mark.notebooks
def test_in_a_kernel_an_aws_refusal_is_a_short_message_not_a_traceback() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import vpclab\ncloud = vpclab.Cloud(seed=0)"),
        nbformat.v4.new_code_cell('cloud.create_vpc("10.0.0.0/8")'),
        nbformat.v4.new_code_cell('raise KeyError("not vpclab")'),
    ]
    done = execute_notebook(nb, cwd=".")
    refusal = done.cells[1].outputs
    assert [o.output_type for o in refusal] == ["display_data"], refusal
    text = refusal[0].data["text/plain"]
    assert text.startswith("✗ InvalidVpc.Range:") and "Fix:" in text and "Traceback" not in text
    assert "vpclab-exception" in refusal[0].data["text/html"]
    other = done.cells[2].outputs
    assert other[0].output_type == "error" and other[0].ename == "KeyError"
