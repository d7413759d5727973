"""Helpers for the sync tests: sites, projects and enrolment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.project import Project, create_project, open_project
from sync.ingest import enrol_device, init_store
from sync.keys import StoreKeys
from sync.stores import FolderStore
from sync.workstation import enrolment_request, join

PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    """A site: its folder store and the site lead's store keys."""

    store: FolderStore
    keys: StoreKeys


def make_site(root: Path, site_id: str = "site-a") -> Site:
    keys = StoreKeys.generate(site_id)
    store = FolderStore.create(root)
    init_store(store, keys)
    return Site(store, keys)


def new_project(folder: Path, workstation: str, user: str = "reader1") -> Project:
    create_project(
        folder, name="Study", user_id=user, printed_name="Reader One", password=PASSWORD
    )
    return open_project(
        folder, user_id=user, password=PASSWORD, workstation=workstation
    )


def enrol(project: Project, site: Site) -> None:
    package = enrol_device(site.store, site.keys, enrolment_request(project))
    join(project, package)
