"""Workflow commands: assign, submit and show items; the review queue and decisions.

``haiops item assign|submit|status`` and ``haiops review queue|approve|reject``
sign in like every command, with ``--project FOLDER --user ID`` and passwords
on standard input (``--password-stdin``), one per line: your password, and
for the signed decisions your password again to sign.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from app.commands import (
    STDIN_LINES_HELP,
    add_project_arguments,
    command_group,
    open_from_arguments,
    read_password,
)

if TYPE_CHECKING:
    from app.commands import Subparsers

logger = logging.getLogger(__name__)


def register(subparsers: Subparsers) -> None:
    """Add ``item assign|submit|status`` and ``review queue|approve|reject``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    item = command_group(subparsers, "item", "worklist items: assign, submit, status")

    assign = item.add_parser(
        "assign",
        help="assign an item to one annotator, or two for blind double annotation",
    )
    assign.add_argument("item_id", metavar="ITEM", help="the item ID")
    assign.add_argument(
        "--annotators",
        required=True,
        metavar="A,B",
        help="user IDs of the annotators, separated by commas",
    )
    assign.add_argument("--due", metavar="DATE", help="due date as YYYY-MM-DD")
    assign.add_argument("--reason", help="why the assignment changes")
    add_project_arguments(assign, password_help=STDIN_LINES_HELP)
    assign.set_defaults(handler=_item_assign)

    submit = item.add_parser("submit", help="submit your work on an item")
    submit.add_argument("item_id", metavar="ITEM", help="the item ID")
    add_project_arguments(submit, password_help=STDIN_LINES_HELP)
    submit.set_defaults(handler=_item_submit)

    status = item.add_parser(
        "status", help="show an item's status, annotators and signatures"
    )
    status.add_argument("item_id", metavar="ITEM", help="the item ID")
    add_project_arguments(status, password_help=STDIN_LINES_HELP)
    status.set_defaults(handler=_item_status)

    review = command_group(
        subparsers, "review", "the review queue and signed decisions"
    )
    queue = review.add_parser(
        "queue", help="items waiting for your review or adjudication"
    )
    queue.add_argument(
        "--no-agreement",
        action="store_true",
        help="leave out the agreement of double annotations (faster)",
    )
    add_project_arguments(queue, password_help=STDIN_LINES_HELP)
    queue.set_defaults(handler=_review_queue)

    approve = review.add_parser(
        "approve", help="approve an item and sign (stdin: password, password to sign)"
    )
    approve.add_argument("item_id", metavar="ITEM", help="the item ID")
    approve.add_argument("--reason", help="a note kept with the signature")
    add_project_arguments(approve, password_help=STDIN_LINES_HELP)
    approve.set_defaults(handler=_review_approve)

    reject = review.add_parser(
        "reject",
        help="reject an item with a reason and sign (stdin: password, password "
        "to sign)",
    )
    reject.add_argument("item_id", metavar="ITEM", help="the item ID")
    reject.add_argument("--reason", required=True, help="why; the annotators see it")
    add_project_arguments(reject, password_help=STDIN_LINES_HELP)
    reject.set_defaults(handler=_review_reject)


def _say(text: str) -> None:
    print(text)  # noqa: T201 -- the command's output


def _item_assign(arguments: argparse.Namespace) -> int:
    from app.workflow import assign_item

    annotators = [a.strip() for a in arguments.annotators.split(",") if a.strip()]
    with open_from_arguments(arguments) as project:
        assign_item(
            project,
            arguments.item_id,
            annotators,
            due=arguments.due,
            reason=arguments.reason,
        )
    due = f", due {arguments.due}" if arguments.due else ""
    _say(f"Assigned {arguments.item_id} to {', '.join(annotators)}{due}")
    return 0


def _item_submit(arguments: argparse.Namespace) -> int:
    from app.workflow import item_state, submit_work

    with open_from_arguments(arguments) as project:
        submit_work(project, arguments.item_id)
        state = item_state(project, arguments.item_id)
    waiting = sorted(set(state.annotators) - set(state.submitted_by))
    if waiting:
        _say(f"Submitted; waiting for {', '.join(waiting)}")
    else:
        _say(f"Submitted; {arguments.item_id} is {state.status}")
    return 0


def _item_status(arguments: argparse.Namespace) -> int:
    from app.workflow import item_state
    from storage.signatures import describe_signatures

    with open_from_arguments(arguments) as project:
        state = item_state(project, arguments.item_id)
        signatures = describe_signatures(project, arguments.item_id)
    _say(f"Item: {state.item_id}")
    _say(f"Title: {state.title}")
    _say(f"Kind: {state.kind}")
    _say(f"Status: {_words(state.status)}")
    _say(f"Annotators: {', '.join(state.annotators) or '-'}")
    _say(f"Submitted by: {', '.join(state.submitted_by) or '-'}")
    _say(f"Due: {state.due or '-'}")
    if state.rejection_reason:
        _say(f"Rejected because: {state.rejection_reason}")
    for view in signatures:
        _say(
            f"Signature: {view.meaning} by {view.printed_name} ({view.signer_id}) "
            f"at {view.signed_at_local}: {view.status}"
        )
    return 0


def _words(status: str) -> str:
    """Return a status as the user reads it (``not_started``: "not started")."""
    return status.replace("_", " ")


def _review_queue(arguments: argparse.Namespace) -> int:
    from app.workflow import review_queue

    with open_from_arguments(arguments) as project:
        entries = review_queue(project, with_agreement=not arguments.no_agreement)
    if not entries:
        _say("Nothing is waiting for your review")
    for entry in entries:
        state = entry.state
        step = "adjudicate" if entry.needs_adjudication else state.status
        agreement = ""
        if entry.agreement is not None:
            value = entry.agreement.value
            shown = "-" if value is None else f"{value:.3f}"
            agreement = f"\t{entry.agreement.measure} {shown}"
        _say(
            f"{state.item_id}\t{step}\t{','.join(state.annotators) or '-'}"
            f"\tdue {state.due or '-'}{agreement}\t{state.title}"
        )
    return 0


def _review_approve(arguments: argparse.Namespace) -> int:
    from app.workflow import approve_item

    with open_from_arguments(arguments) as project:
        decision = approve_item(
            project,
            arguments.item_id,
            password=read_password(arguments, "your password to sign"),
            user_id=arguments.user,
            reason=arguments.reason,
        )
    _say(f"Approved {arguments.item_id}; signature {decision.signature.record_id}")
    return 0


def _review_reject(arguments: argparse.Namespace) -> int:
    from app.workflow import reject_item

    with open_from_arguments(arguments) as project:
        decision = reject_item(
            project,
            arguments.item_id,
            reason=arguments.reason,
            password=read_password(arguments, "your password to sign"),
            user_id=arguments.user,
        )
    _say(f"Rejected {arguments.item_id}; signature {decision.signature.record_id}")
    return 0
