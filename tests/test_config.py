"""Settings come from defaults and an optional TOML file; bad files fail with one clear line."""

import pytest

from monitor.config import Settings, load_settings
from monitor.errors import ConfigError


def test_no_file_gives_defaults():
    assert load_settings(None) == Settings()


def test_toml_overrides_known_settings(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('poll_interval_minutes = 30\nallow_private_hosts = ["intranet.local"]\n')
    settings = load_settings(path)
    assert settings.poll_interval_minutes == 30
    assert settings.allow_private_hosts == ("intranet.local",)


@pytest.mark.parametrize(
    "content, message",
    [
        ("poll_interval = 3\n", "unknown setting"),
        ("poll_interval_minutes = 'often'\n", "must be a number"),
        ("poll_interval_minutes = \n", "cannot read config"),
        ("conflict_tolerance = -0.01\n", "conflict_tolerance .* must be at least 0"),
        ("conflict_tolerance = 5\n", "conflict_tolerance .* below 1"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "monitor.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
