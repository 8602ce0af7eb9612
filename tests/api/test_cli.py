"""`tracker tokens create|list|revoke`: the token alone on the last line, working as a bearer."""
from __future__ import annotations

IPO = "市市场监督管理局（知识产权局）"   # lead of task 3, co-unit of task 1


def _run(app, *args):
    from tracker.api.cli import tokens

    return app.test_cli_runner().invoke(tokens, list(args))


def test_create_prints_the_token_alone_on_the_last_line_and_it_works_as_a_bearer(app, client, plan, make_user):
    make_user("ipo", unit=IPO)
    result = _run(app, "create", "--username", "ipo", "--name", "报表系统")
    assert result.exit_code == 0, result.output
    secret = result.stdout.rstrip("\n").splitlines()[-1]
    assert secret.startswith("pt_") and " " not in secret
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.get_json()["unit"] == IPO


def test_create_refuses_an_unknown_user(app, plan):
    result = _run(app, "create", "--username", "nobody")
    assert result.exit_code != 0 and "nobody" in result.output


def test_list_shows_the_prefix_and_the_user_never_the_secret(app, plan, make_user):
    make_user("ipo", unit=IPO)
    secret = _run(app, "create", "--username", "ipo", "--name", "etl").stdout.splitlines()[-1]
    listing = _run(app, "list").stdout
    assert secret not in listing
    assert secret[:10] in listing and "ipo" in listing and "etl" in listing and "active" in listing


def test_revoke_by_prefix_or_id_stops_the_token_at_once(app, client, plan, make_user):
    make_user("ipo", unit=IPO)
    first = _run(app, "create", "--username", "ipo").stdout.splitlines()[-1]
    second = _run(app, "create", "--username", "ipo").stdout.splitlines()[-1]
    assert _run(app, "revoke", first[:10]).exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    token_id = [line.split("\t")[0] for line in _run(app, "list").stdout.splitlines() if second[:10] in line][0]
    result = _run(app, "revoke", token_id)
    assert result.exit_code == 0 and "revoked" in result.stdout
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    assert "revoked" in _run(app, "list").stdout


def test_revoke_refuses_what_names_no_token(app, plan):
    result = _run(app, "revoke", "pt_nothing")
    assert result.exit_code != 0 and "no token" in result.output


def test_the_tokens_group_is_part_of_the_tracker_command():
    from click.testing import CliRunner

    from tracker.cli import main

    assert "Create, list and revoke API tokens." in CliRunner().invoke(main, ["--help"]).output
    assert "Usage: tracker tokens" in CliRunner().invoke(main, ["tokens", "--help"], prog_name="tracker").output
