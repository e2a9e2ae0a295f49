"""Reading a live AWS account into the combined describe JSON of DESIGN.md §4, read-only.

``vpclab collect [--profile P] [--region R] -o FILE`` calls EC2 through boto3 (the optional
``aws`` extra: ``pip install 'vpclab[aws]'``) and writes one JSON object that
``Cloud.from_aws`` and every ``vpclab … FILE`` command read:

- one key per describe call (``Vpcs``, ``Subnets``, ``RouteTables``, …, ``Reservations``),
  every page of it;
- ``PrefixLists`` from ``describe_prefix_lists`` (AWS's lists, with ``Cidrs``) merged by id
  with ``describe_managed_prefix_lists``, and ``PrefixListEntries``: for each IPv4 list
  without ``Cidrs``, the ``Entries`` of ``get_managed_prefix_list_entries``;
- the keyed transit gateway maps, per TGW route table id: ``TransitGatewayRoutes``
  (``search_transit_gateway_routes``, static and propagated), ``TransitGatewayRouteTableAssociations``
  and ``TransitGatewayRouteTablePropagations``.

``EgressOnlyInternetGateways`` is written only where the account has some (the importer
does not model them yet and says so for the key). Datetimes are written as ISO 8601 text,
as the AWS CLI writes them. The file is written to a temporary file beside it and renamed
over it, so a failed or interrupted run never leaves half a file; like the temporary file
it comes from, it is readable by its owner only.

**Read-only, enforced.** Every call goes through :class:`ReadOnlyEc2`, which refuses any
operation whose name does not start with ``describe_``, ``get_`` or ``search_`` before it is
sent; a botocore ``before-call`` hook on the client refuses any other API operation too, so
not even a paginator or a stray call on the raw client can write to the account.

Progress goes to stderr, one line per call (a call that pages says how many pages):
``[ 5/27] ######-------------- describe_subnets: 12 items``; the last line, on stdout, names
the file written. Exit status: 0 when the file is written, 2 on any error (no boto3, no
credentials, no region, access denied, a network error): one line that says what and the fix.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from vpclab.awsjson import merge_by_id
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.i18n import message

__all__ = ["READ_ONLY_PREFIXES", "Progress", "ReadOnlyEc2", "add_arguments", "collect", "run", "write_atomic"]

READ_ONLY_PREFIXES = ("describe_", "get_", "search_")
_API_PREFIXES = ("Describe", "Get", "Search")  # the same, as the API names operations

# key in the file, operation, key of the list in its response
CALLS: tuple[tuple[str, str, str], ...] = (
    ("Vpcs", "describe_vpcs", "Vpcs"),
    ("Subnets", "describe_subnets", "Subnets"),
    ("RouteTables", "describe_route_tables", "RouteTables"),
    ("InternetGateways", "describe_internet_gateways", "InternetGateways"),
    ("EgressOnlyInternetGateways", "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"),
    ("NatGateways", "describe_nat_gateways", "NatGateways"),
    ("SecurityGroups", "describe_security_groups", "SecurityGroups"),
    ("NetworkAcls", "describe_network_acls", "NetworkAcls"),
    ("VpcEndpoints", "describe_vpc_endpoints", "VpcEndpoints"),
    ("VpcPeeringConnections", "describe_vpc_peering_connections", "VpcPeeringConnections"),
    ("NetworkInterfaces", "describe_network_interfaces", "NetworkInterfaces"),
    ("Reservations", "describe_instances", "Reservations"),
    ("Addresses", "describe_addresses", "Addresses"),
    ("DhcpOptions", "describe_dhcp_options", "DhcpOptions"),
    ("PrefixLists", "describe_prefix_lists", "PrefixLists"),
    ("ManagedPrefixLists", "describe_managed_prefix_lists", "PrefixLists"),  # merged into PrefixLists
    ("TransitGateways", "describe_transit_gateways", "TransitGateways"),
    ("TransitGatewayAttachments", "describe_transit_gateway_attachments", "TransitGatewayAttachments"),
    ("TransitGatewayVpcAttachments", "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"),
    ("TransitGatewayRouteTables", "describe_transit_gateway_route_tables", "TransitGatewayRouteTables"),
    ("VpnGateways", "describe_vpn_gateways", "VpnGateways"),
    ("VpnConnections", "describe_vpn_connections", "VpnConnections"),
    ("CustomerGateways", "describe_customer_gateways", "CustomerGateways"),
)
_ONLY_WHEN_PRESENT = ("EgressOnlyInternetGateways",)
_ROUTE_TYPES = ("static", "propagated")


# --- read-only access -------------------------------------------------------------------------
class ReadOnlyEc2:
    """An EC2 client that can only read: describe_*, get_* and search_* operations."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[str] = []  # operations sent, in order (one per page)
        client.meta.events.register("before-call", _refuse_writes, unique_id="vpclab-collect-read-only")

    @staticmethod
    def check(operation: str) -> None:
        """Refuse an operation that is not a read (before anything is sent)."""
        if not operation.startswith(READ_ONLY_PREFIXES):
            raise InvalidValue("OperationNotPermitted", message("collect.not_read_only", operation=operation),
                               fix=message("collect.not_read_only_fix"))

    def pages(self, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of an operation's answer (one page when it does not paginate)."""
        self.check(operation)
        if self.client.can_paginate(operation):
            for page in self.client.get_paginator(operation).paginate(**params):
                self.calls.append(operation)
                yield page
        else:
            self.calls.append(operation)
            yield getattr(self.client, operation)(**params)

    def items(self, operation: str, key: str, **params: Any) -> tuple[list[Any], int]:
        """The list under ``key`` across every page, and how many pages there were."""
        found: list[Any] = []
        pages = 0
        for page in self.pages(operation, **params):
            found += page.get(key) or []
            pages += 1
        return found, pages


def _refuse_writes(model: Any = None, **_: Any) -> None:
    """botocore ``before-call`` hook: nothing but a read ever leaves the client."""
    name = str(getattr(model, "name", ""))
    if not name.startswith(_API_PREFIXES):
        raise InvalidValue("OperationNotPermitted", message("collect.not_read_only", operation=name),
                           fix=message("collect.not_read_only_fix"))


# --- progress -------------------------------------------------------------------------------------
class Progress:
    """A text progress bar on a stream, one line per call; the total grows as calls are found."""

    WIDTH = 20

    def __init__(self, total: int, stream: IO[str] | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream

    def add(self, calls: int) -> None:
        self.total += calls

    def step(self, operation: str, detail: str) -> None:
        self.done += 1
        if self.stream is None:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        width = len(str(self.total))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        print(f"[{self.done:>{width}}/{self.total}] {bar} {operation}: {detail}", file=self.stream, flush=True)


# --- collecting ---------------------------------------------------------------------------------------
def collect(client: Any, progress: Progress | None = None) -> dict[str, Any]:
    """The combined describe JSON of the account and Region ``client`` (a boto3 EC2 client) reads."""
    ec2 = client if isinstance(client, ReadOnlyEc2) else ReadOnlyEc2(client)
    progress = progress or Progress(0)
    progress.add(len(CALLS))
    data: dict[str, Any] = {}

    def fetch(operation: str, key: str, label: str | None = None, **params: Any) -> list[Any]:
        found, pages = ec2.items(operation, key, **params)
        detail = message("collect.items", count=len(found))
        if pages > 1:
            detail += message("collect.pages", pages=pages)
        progress.step(operation if label is None else f"{operation} {label}", detail)
        return found

    for key, operation, inner in CALLS:
        data[key] = fetch(operation, inner)
    for key in _ONLY_WHEN_PRESENT:
        if not data[key]:
            del data[key]
    data["PrefixLists"] = merge_by_id([*data["PrefixLists"], *data.pop("ManagedPrefixLists")], "PrefixListId")
    wanted = [p["PrefixListId"] for p in data["PrefixLists"]
              if not p.get("Cidrs") and p.get("AddressFamily", "IPv4") == "IPv4" and p.get("PrefixListId")]
    tables = [t["TransitGatewayRouteTableId"] for t in data["TransitGatewayRouteTables"]
              if t.get("TransitGatewayRouteTableId") and t.get("State") not in ("deleted", "deleting")]
    progress.add(len(wanted) + 3 * len(tables))
    data["PrefixListEntries"] = {pl: fetch("get_managed_prefix_list_entries", "Entries", pl, PrefixListId=pl)
                                 for pl in wanted}
    routes: dict[str, list[Any]] = {}
    associations: dict[str, list[Any]] = {}
    propagations: dict[str, list[Any]] = {}
    for table in tables:
        routes[table] = _tgw_routes(ec2, table, progress, fetch)
        associations[table] = fetch("get_transit_gateway_route_table_associations", "Associations", table,
                                    TransitGatewayRouteTableId=table)
        propagations[table] = fetch("get_transit_gateway_route_table_propagations",
                                    "TransitGatewayRouteTablePropagations", table, TransitGatewayRouteTableId=table)
    data["TransitGatewayRoutes"] = routes
    data["TransitGatewayRouteTableAssociations"] = associations
    data["TransitGatewayRouteTablePropagations"] = propagations
    return data


def _tgw_routes(ec2: ReadOnlyEc2, table: str, progress: Progress,
                fetch: Callable[..., list[Any]]) -> list[Any]:
    """Static and propagated routes of a TGW route table. Recent botocore pages through them
    (NextToken); older models return at most 1,000 routes and say when there are more: then each
    type is asked for on its own, and a warning says when even that is not all."""
    filters = [{"Name": "type", "Values": list(_ROUTE_TYPES)}]
    operation = "search_transit_gateway_routes"
    if ec2.client.can_paginate(operation):
        return fetch(operation, "Routes", table, TransitGatewayRouteTableId=table, Filters=filters)
    label = f"{operation} {table}"
    answer = _one(ec2, operation, TransitGatewayRouteTableId=table, Filters=filters)
    found: list[Any] = list(answer.get("Routes") or [])
    if not answer.get("AdditionalRoutesAvailable"):
        progress.step(label, message("collect.items", count=len(found)))
        return found
    progress.add(len(_ROUTE_TYPES))
    progress.step(label, message("collect.routes_split", count=len(found)))
    found = []
    for kind in _ROUTE_TYPES:
        part = _one(ec2, operation, TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": [kind]}])
        found += part.get("Routes") or []
        detail = message("collect.items", count=len(part.get("Routes") or []))
        if part.get("AdditionalRoutesAvailable"):
            detail += "; " + message("collect.routes_truncated", kind=kind, table=table)
        progress.step(f"{label} ({kind})", detail)
    return found


def _one(ec2: ReadOnlyEc2, operation: str, **params: Any) -> dict[str, Any]:
    ec2.check(operation)
    ec2.calls.append(operation)
    answer: dict[str, Any] = getattr(ec2.client, operation)(**params)
    return answer


# --- writing -------------------------------------------------------------------------------------
def _jsonable(value: object) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def write_atomic(path: str | Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as JSON to ``path`` through a temporary file in the same folder, renamed
    over ``path`` once complete: readers see the old file or the new one, never half of one."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2, default=_jsonable)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


# --- boto3 and its errors ---------------------------------------------------------------------------
def ec2_client(profile: str | None, region: str | None) -> Any:
    """A boto3 EC2 client for the profile and Region (boto3 imported only now: an optional extra)."""
    try:  # through importlib: boto3 ships no type hints, and may be missing altogether
        boto3: Any = importlib.import_module("boto3")
        config_module: Any = importlib.import_module("botocore.config")
    except ImportError:
        raise InvalidValue("MissingDependency", message("collect.no_boto3"),
                           fix=message("collect.no_boto3_fix")) from None
    with translated_errors("session"):
        session = boto3.Session(profile_name=profile, region_name=region)
        if not session.region_name:
            raise InvalidValue("NoRegion", message("collect.no_region"), fix=message("collect.no_region_fix"))
        config = config_module.Config(retries={"max_attempts": 8, "mode": "standard"},
                                      user_agent_extra="vpclab-collect")
        return session.client("ec2", config=config)


@contextlib.contextmanager
def translated_errors(operation: str) -> Iterator[None]:
    """botocore's exceptions as one-line VpcLabErrors that say what went wrong and the fix."""
    try:
        errors: Any = importlib.import_module("botocore.exceptions")
    except ImportError:  # boto3 is missing: ec2_client says so
        yield
        return
    try:
        yield
    except VpcLabError:
        raise
    except errors.ClientError as err:
        error = err.response.get("Error", {})
        code = str(error.get("Code") or "ClientError")
        text = _one_line(str(error.get("Message") or err))
        operation = str(err.operation_name or operation)
        raise InvalidValue(code, message("collect.refused", operation=operation, problem=text),
                           fix=message(_fix_for(code))) from None
    except errors.NoCredentialsError:
        raise InvalidValue("NoCredentials", message("collect.no_credentials"),
                           fix=message("collect.no_credentials_fix")) from None
    except errors.ProfileNotFound as err:
        raise InvalidValue("ProfileNotFound", message("collect.no_profile", profile=err.kwargs.get("profile", "?")),
                           fix=message("collect.no_profile_fix")) from None
    except errors.NoRegionError:
        raise InvalidValue("NoRegion", message("collect.no_region"), fix=message("collect.no_region_fix")) from None
    except errors.BotoCoreError as err:
        raise InvalidValue("AwsConnection", message("collect.botocore", problem=_one_line(str(err))),
                           fix=message("collect.botocore_fix")) from None


def _fix_for(code: str) -> str:
    if code.startswith(("UnauthorizedOperation", "AccessDenied", "Forbidden")):
        return "collect.denied_fix"
    if code in ("AuthFailure", "ExpiredToken", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException",
                "SignatureDoesNotMatch", "InvalidToken"):
        return "collect.credentials_fix"
    return "collect.refused_fix"


def _one_line(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


# --- the command ------------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``vpclab collect [--profile P] [--region R] -o FILE [--quiet]``.

    Exit status: 0 when the file is written, 2 on any error (a one-line message with the fix)."""
    parser.add_argument("--profile", default=None, help=message("collect.help.profile"))
    parser.add_argument("--region", default=None, help=message("collect.help.region"))
    parser.add_argument("-o", "--output", required=True, help=message("collect.help.output"))
    parser.add_argument("--quiet", action="store_true", help=message("collect.help.quiet"))


def run(args: argparse.Namespace, *, client_factory: Callable[[str | None, str | None], Any] | None = None) -> int:
    """Run ``vpclab collect``: 0 when the file is written; errors are raised as VpcLabError (exit 2)."""
    output = Path(args.output)
    if not output.parent.is_dir():
        raise InvalidValue("InvalidParameterValue", message("collect.no_folder", folder=output.parent),
                           fix=message("collect.no_folder_fix"))
    progress = Progress(0, None if args.quiet else sys.stderr)
    with translated_errors("session"):
        client = (client_factory or ec2_client)(args.profile, args.region)
        data = collect(client, progress)
    write_atomic(output, data)
    counts = ", ".join(f"{len(data[k])} {k}" for k in ("Vpcs", "Subnets", "SecurityGroups", "NetworkInterfaces"))
    print(message("collect.written", path=output, counts=counts, calls=progress.done))
    return 0
