def test_register_and_list(cli):
    r = cli("register", "--channel", "in_person", "--received", "2026-03-02", "--applicant",
            "张三", "--applicant-type", "natural", "--content", "x", "--today", "2026-03-05",
            "--json")
    assert r.exit_code == 0, r.stderr
    import json
    assert json.loads(r.stdout)["reply_due"] == "2026-03-30"
    r = cli("list", "--today", "2026-03-27", "--json")
    assert json.loads(r.stdout)[0]["working_days_left"] == 1
