from dossiers.checks import check_dossier_key


def test_the_system_check_refuses_a_missing_dossier_key(settings):
    assert check_dossier_key() == []
    settings.ZHISHU_DOSSIER_KEY = ""
    assert [e.id for e in check_dossier_key()] == ["zhishu.E003"]
