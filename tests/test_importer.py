"""`python -m connectors import KIND FILE`: good files are written (and re-importing changes
nothing); a file with a wrong column or value is refused with the line and column named, and
nothing is written."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from connectors import cli
from connectors.importer import KINDS, ImportRefused, import_file
from socialdash import warehouse
from socialdash.config import parse_config

CONFIG = """
timezone = "America/New_York"

[[organizations]]
id = "acme"
name = "Acme"
self = true
accounts = { x = "acme", linkedin = "acme-co" }

[[organizations]]
id = "rival"
name = "Rival"
accounts = { x = "rival" }

[[departments]]
id = "care"
name = "Customer Service"
accounts = { x = "acmehelp" }

[[departments]]
id = "pr"
name = "Public Relations"
signatures = ["#AcmeNews"]

[[people]]
name = "Ana"
department = "care"
accounts = { x = "ana" }
"""


@pytest.fixture()
def setup(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG)
    return str(tmp_path / "social.duckdb"), parse_config(CONFIG), config_file, tmp_path


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def rows(db, sql):
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_follower_history_backfill(setup):
    db, config, _, tmp = setup
    path = write(tmp, "followers.csv", "platform,handle,day,followers\n"
                 "linkedin,acme-co,2026-01-01,1000\nlinkedin,acme-co,2026-01-02,1010\nx,@ACME,2026-01-02,\"5,000\"\n")
    assert import_file("followers", path, db, config) == 3
    assert import_file("followers", path, db, config) == 3  # upserted: still three rows
    assert rows(db, "SELECT account_id, day::VARCHAR, followers FROM account_daily ORDER BY 1, 2") == [
        ("linkedin:acme-co", "2026-01-01", 1000), ("linkedin:acme-co", "2026-01-02", 1010), ("x:acme", "2026-01-02", 5000)]
    # the import is recorded for data health, and the warehouse now holds real data
    assert rows(db, "SELECT connector, status, rows_written FROM connector_runs") == [
        ("import:followers", "ok", 3), ("import:followers", "ok", 3)]
    assert rows(db, "SELECT value FROM warehouse_meta WHERE key = 'dataset'") == [("real",)]


def test_posts_with_a_bom_semicolons_and_local_times(setup):
    db, config, _, tmp = setup
    text = ("account_id;post_id;created_at;likes;comments;shares;views;is_reply;text\n"
            "x:acme;p1;2026-01-05 09:00;10;2;3;;false;Big news #AcmeNews\n"
            "x:acme;p2;2026-01-05T20:00:00Z;1;0;0;500;yes;a reply\n")
    path = write(tmp, "posts.csv", text, encoding="utf-8-sig")
    assert import_file("posts", path, db, config) == 2
    got = rows(db, "SELECT post_id, created_at, likes, comments, shares, views, is_reply, department_id FROM posts ORDER BY 1")
    # 09:00 in New York (EST, UTC−5) is 14:00 UTC; p1 carries the pr signature
    assert got[0] == ("p1", dt.datetime(2026, 1, 5, 14, tzinfo=dt.timezone.utc), 10, 2, 3, None, False, "pr")
    assert got[1][5:7] == (500, True)


def test_help_desk_export_with_teams(setup):
    db, config, _, tmp = setup
    path = write(tmp, "inbox.csv",
                 "platform,handle,interaction_id,received_at,first_response_at,team,responder\n"
                 "x,acme,dm-1,2026-01-05T10:00:00Z,2026-01-05T10:45:00Z,customer service,acmehelp\n"
                 "x,acmehelp,dm-2,2026-01-05T11:00:00Z,2026-01-05T13:00:00Z,PR,\n"
                 "x,acme,dm-3,2026-01-05T12:00:00Z,,care,\n")
    assert import_file("interactions", path, db, config) == 3
    assert import_file("interactions", path, db, config) == 3
    assert rows(db, "SELECT interaction_id, account_id, epoch(first_response_at - received_at) / 60, "
                    "responder_account_id, department_id FROM interactions ORDER BY 1") == [
        ("dm-1", "x:acme", 45.0, "x:acmehelp", "care"),  # team by name, case-insensitive
        ("dm-2", "x:acmehelp", 120.0, None, "pr"),       # team by id
        ("dm-3", "x:acme", None, None, None),            # no response: no answering department (contract §1)
    ]


@pytest.mark.parametrize("kind, text, expected", [
    ("posts", "platform,handle,post_id,created_at,like,comments,shares\n",
     ['header, column "like": unknown column', 'header, column "likes": missing column']),
    ("followers", "platform,day,followers\nx,2026-01-01,5\n", ['header, column "handle": missing column']),
    ("posts", "platform,handle,post_id,created_at,likes,comments,shares\n"
              "x,acme,p1,2026-01-05T10:00:00Z,10,0,0\n"
              "x,acme,p2,2026-01-05T11:00:00Z,abc,0,0\n",
     ['line 3, column "likes": \'abc\' is not a whole number ≥ 0']),
    ("posts", "platform,handle,post_id,created_at,likes,comments,shares\n"
              "x,acme,p1,yesterday,1,0,-2\n",
     ['line 2, column "created_at": \'yesterday\' is not a time', 'line 2, column "shares": \'-2\' is not a whole number']),
    ("followers", "platform,handle,day,followers\nx,nobody,2026-01-01,5\ntiktok,acme,2026-01-01,5\n",
     ['line 2, column "handle": unknown account \'x:nobody\'', 'line 3, column "platform": \'tiktok\' is not a platform']),
    ("interactions", "platform,handle,interaction_id,received_at,first_response_at,team\n"
                     "x,acme,dm-1,2026-01-05T10:00:00Z,2026-01-05T09:00:00Z,care\n"
                     "x,acme,dm-2,2026-01-05T10:00:00Z,,Marketing\n"
                     "x,ana,dm-3,2026-01-05T10:00:00Z,,\n"
                     "x,acme,dm-1,2026-01-06T10:00:00Z,,\n",
     ['line 2, column "first_response_at": \'2026-01-05T09:00:00Z\' is before received_at',
      'line 3, column "team": \'Marketing\' is not a department (known: care, pr)',
      'line 4, column "handle": \'x:ana\' is an employee\'s own account',
      'line 5, column "interaction_id": the same row as line 2']),
    ("followers", "platform,handle,day,followers\nx,acme,2026-13-01,5\n",
     ['line 2, column "day": \'2026-13-01\' is not a date']),
])
def test_bad_files_are_refused_naming_line_and_column_and_nothing_is_written(setup, kind, text, expected):
    db, config, _, tmp = setup
    path = write(tmp, f"{kind}.csv", text)
    with pytest.raises(ImportRefused) as refused:
        import_file(kind, path, db, config)
    message = str(refused.value)
    assert "nothing was written" in message
    for part in expected:
        assert part in message, message
    assert not warehouse.exists(db)  # not even the configuration was copied in


def test_a_refused_file_leaves_earlier_data_untouched(setup):
    db, config, _, tmp = setup
    good = write(tmp, "good.csv", "platform,handle,day,followers\nx,acme,2026-01-01,5\n")
    import_file("followers", good, db, config)
    before = rows(db, "SELECT * FROM account_daily")
    bad = write(tmp, "bad.csv", "platform,handle,day,followers\nx,acme,2026-01-02,7\nx,acme,2026-01-03,lots\n")
    with pytest.raises(ImportRefused, match='line 3, column "followers"'):
        import_file("followers", bad, db, config)
    assert rows(db, "SELECT * FROM account_daily") == before  # the good line 2 was not written either


def test_cli_import_exit_codes(setup, capsys):
    db, _, config_file, tmp = setup
    good = write(tmp, "good.csv", "platform,handle,day,followers\nx,acme,2026-01-01,5\n")
    assert cli.main(["import", "followers", str(good), "--config", str(config_file), "--db", db]) == 0
    assert "Imported 1 followers rows" in capsys.readouterr().out
    bad = write(tmp, "bad.csv", "platform,handle,day,followers\nx,acme,2026-01-01,five\n")
    assert cli.main(["import", "followers", str(bad), "--config", str(config_file), "--db", db]) == 2
    assert 'line 2, column "followers"' in capsys.readouterr().err
    assert cli.main(["import", "likes", str(good), "--db", db]) == 2  # an unknown KIND: argparse's usage error
    assert cli.main(["import", "posts", str(tmp / "missing.csv"), "--config", str(config_file), "--db", db]) == 2


# --- imports on the demo warehouse ------------------------------------------------------------

def fingerprint(path) -> tuple:
    import hashlib
    import os

    st = os.stat(path)
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_ino, st.st_mtime_ns


DEMO_ROWS = {
    # x:northwindair is on the dashboard of the demo; Acme's configuration does not name it
    "followers": "platform,handle,day,followers\nx,northwindair,2026-01-01,5\n",
    "posts": "platform,handle,post_id,created_at,likes,comments,shares\nx,northwindair,p1,2026-01-05T10:00:00Z,1,0,0\n",
    "interactions": "platform,handle,interaction_id,received_at\nx,northwindair,dm-1,2026-01-05T10:00:00Z\n",
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("configured", [True, False], ids=["own-config", "no-config"])
def test_a_demo_account_unknown_to_the_configuration_says_why(setup, demo_file, capsys, kind, configured):
    import shutil

    _, _, config_file, tmp = setup
    db = tmp / "social.duckdb"
    shutil.copyfile(demo_file, db)
    before = fingerprint(db)
    path = write(tmp, f"{kind}.csv", DEMO_ROWS[kind])
    config = str(config_file) if configured else str(tmp / "absent.toml")
    code = cli.main(["import", kind, str(path), "--config", config, "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2
    # the row, the real cause, and what to do
    assert ("line 2, column \"handle\": unknown account 'x:northwindair': it is an account of the demo data set, "
            "which this import would replace, and your configuration does not name it") in err, err
    assert f"Why: {db} holds the demo data set. An import writes real data, and real data never mixes " in err
    assert "The demo is kept." in err
    if configured:
        assert f"your configuration ({config}), which does not name 'x:northwindair'" in err, err
        assert f"add that account to {config}" in err, err
    else:
        assert f"there is none ({config} does not exist)" in err, err
        assert f"copy data/config.example.toml to {config}" in err, err
    assert f"python -m connectors demo --db {tmp / 'demo.duckdb'}" in err, err
    assert fingerprint(db) == before  # nothing written: the demo is as it was


def test_a_demo_responder_unknown_to_the_configuration_says_why(setup, demo_file):
    import shutil

    _, config, config_file, tmp = setup
    db = tmp / "social.duckdb"
    shutil.copyfile(demo_file, db)
    path = write(tmp, "inbox.csv", "platform,handle,interaction_id,received_at,first_response_at,responder\n"
                                   "x,acme,dm-1,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,northwindhelp\n")
    with pytest.raises(ImportRefused) as refused:
        import_file("interactions", path, str(db), config, str(config_file))
    message = str(refused.value)
    assert "column \"responder\": unknown account 'x:northwindhelp': it is an account of the demo data set" in message
    assert "which does not name 'x:northwindhelp'" in message


def test_an_accepted_import_replaces_the_demo_and_says_so(setup, demo_file, capsys):
    import shutil

    _, _, config_file, tmp = setup
    db = tmp / "social.duckdb"
    shutil.copyfile(demo_file, db)
    path = write(tmp, "followers.csv", "platform,handle,day,followers\nx,acme,2026-01-01,5\n")
    assert cli.main(["import", "followers", str(path), "--config", str(config_file), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 followers rows" in out
    assert "The warehouse held the demo data set: real data arrived, so the demo was cleared" in out, out
    assert rows(str(db), "SELECT account_id, followers FROM account_daily") == [("x:acme", 5)]
    assert rows(str(db), "SELECT count(*) FROM posts") == [(0,)]
    assert rows(str(db), "SELECT value FROM warehouse_meta WHERE key = 'dataset'") == [("real",)]
    # a second import into the (now real) warehouse says nothing about the demo
    assert cli.main(["import", "followers", str(path), "--config", str(config_file), "--db", str(db)]) == 0
    assert "demo" not in capsys.readouterr().out


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_file_without_rows_changes_nothing(setup, demo_file, kind):
    import shutil

    _, config, _, tmp = setup
    db = tmp / "social.duckdb"
    shutil.copyfile(demo_file, db)
    before = fingerprint(db)
    header = DEMO_ROWS[kind].split("\n", 1)[0]
    path = write(tmp, f"{kind}.csv", header + "\n\n,,,\n")
    with pytest.raises(ImportRefused, match="no rows after the header; nothing was written"):
        import_file(kind, path, str(db), config)
    assert fingerprint(db) == before
