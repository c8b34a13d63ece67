"""What role reconciliation reports: the log line, the admins' adoption notice, the reply."""

from __future__ import annotations

from cogs.admin.roles_sync import role_sync_embed
from cogs.roles.cog import adoption_notice
from cogs.roles.sync import RoleSyncReport


def fields(report: RoleSyncReport) -> dict[str, str]:
    return {f.name: f.value for f in role_sync_embed(report).fields}


def test_a_default_run_reports_adopted_roles_and_how_to_remove_them() -> None:
    report = RoleSyncReport(members_checked=40, roles_managed=2, removed=1)
    report.adopted, report.newly_adopted = 5, 3
    assert report.summary() == (
        "checked 40 member(s) for 2 role(s): granted 0, removed 1, failed 0, adopted 5 (3 new)"
    )
    shown = fields(report)
    assert (shown["Removed"], shown["Adopted"]) == ("1", "5")
    assert "strict:True" in shown["Adopted roles"] and "Adoptions ended" not in shown
    notice = " ".join(adoption_notice(report))
    assert "3 shop role(s)" in notice and "5 adopted role(s) in all" in notice
    assert "/admin resyncroles strict:True" in notice


def test_a_strict_run_reports_the_adoptions_it_ended() -> None:
    report = RoleSyncReport(members_checked=40, roles_managed=2, removed=4, strict=True)
    report.adoptions_ended = 4
    report.problems.append("Drag @Stockroom above @VIP.")
    assert report.summary() == (
        "checked 40 member(s) for 2 role(s): granted 0, removed 4, failed 0, "
        "4 adoption(s) ended (strict); 1 role problem(s)"
    )
    embed = role_sync_embed(report)
    assert embed.title == "Roles re-synced (strict)"
    shown = fields(report)
    assert (shown["Removed"], shown["Adopted"], shown["Adoptions ended"]) == ("4", "0", "4")
    assert shown["To fix"] == "Drag @Stockroom above @VIP."
    assert "Adopted roles" not in shown
