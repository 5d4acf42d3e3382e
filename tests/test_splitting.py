from messages.splitting import SPLITTERS
from storage.platform import Platform


def test_every_platform_has_a_splitter_under_its_stored_name():
    assert set(SPLITTERS) == {platform.value for platform in Platform}
