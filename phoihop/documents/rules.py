"""Who may move a document through its workflow, as ``rules`` predicates over the user's Scope.

Visibility stays in ``units.scoping`` (SQL); these predicates only add the role a step needs:

- a member of the unit itself (any staff role) submits a draft;
- a leader of the unit approves, returns a submission to draft, puts in force and supersedes;
- a clerk or a leader of the unit itself (``Scope.keeps_register_of``) issues, because numbering
  and sending are the issuing unit's clerk's job (văn thư) under Decree 30.

Staff of an office above the unit hold none of these steps: they read a school's documents and
send their own plans down (cascade), but a school's draft is written, submitted and numbered by
the school.

Each predicate takes ``(actor, document)`` where ``actor`` is a ``Scope`` (what views pass, computed
once per request) or a user (what ``user.has_perm`` passes); a user's scope is computed on the spot.
The permissions are registered so that ``user.has_perm("documents.issue_document", document)`` works
through the ``rules`` authentication backend too.
"""

from __future__ import annotations

import rules

from phoihop.units.scoping import Scope


def scope_of(actor) -> Scope:
    return actor if isinstance(actor, Scope) else Scope.for_user(actor)


@rules.predicate
def is_unit_member(actor, document) -> bool:
    if document is None:
        return False
    return scope_of(actor).works_in(document.unit_id)


@rules.predicate
def is_unit_leader(actor, document) -> bool:
    if document is None:
        return False
    scope = scope_of(actor)
    return scope.leads(document.unit_id)


@rules.predicate
def is_unit_manager(actor, document) -> bool:
    if document is None:
        return False
    return scope_of(actor).keeps_register_of(document.unit_id)


can_submit = is_unit_member
can_approve = is_unit_leader
can_return = is_unit_leader
can_issue = is_unit_manager
can_put_in_force = is_unit_leader
can_supersede = is_unit_leader

PERMISSIONS = {
    "documents.submit_document": can_submit,
    "documents.return_document": can_return,
    "documents.approve_document": can_approve,
    "documents.issue_document": can_issue,
    "documents.put_document_in_force": can_put_in_force,
    "documents.supersede_document": can_supersede,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
