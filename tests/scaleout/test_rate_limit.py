"""The API's rate limit across hosts: with TRACKER_RATELIMIT_STORAGE_URI=redis://… every host counts
into one bucket per token; memory:// counts per process; a store that is down never costs a 500."""
from __future__ import annotations

import pytest
import requests

from tracker.config import ConfigError, read

LIMIT = "6 per hour"     # an hour: the whole test falls in one window


def _statuses(urls: list[str], headers: dict[str, str], count: int) -> list[tuple[int, str | None]]:
    """`count` requests spread over the hosts in turn: (status, requests the bucket still allows)."""
    answers = [requests.get(f"{urls[n % len(urls)]}/api/v1/me", headers=headers, timeout=30) for n in range(count)]
    return [(a.status_code, a.headers.get("X-RateLimit-Remaining")) for a in answers]


def test_two_hosts_sharing_redis_enforce_one_rate_limit(hosts, redis_url, bearer, plan):
    first, second = hosts(2, TRACKER_RATELIMIT_STORAGE_URI=redis_url, TRACKER_API_RATE_LIMIT=LIMIT)
    token = bearer("integrator", role="supervisor")
    answers = _statuses([first, second], token, 6)
    assert answers == [(200, str(left)) for left in (5, 4, 3, 2, 1, 0)]    # one count, whichever host answers
    for url in (first, second):
        refused = requests.get(f"{url}/api/v1/me", headers=token, timeout=30)
        assert refused.status_code == 429 and refused.json()["error"]["code"] == 429
    other = bearer("other", role="supervisor")
    assert requests.get(f"{second}/api/v1/me", headers=other, timeout=30).status_code == 200   # per token


def test_without_a_shared_store_each_host_counts_alone(hosts, bearer, plan):
    first, second = hosts(2, TRACKER_RATELIMIT_STORAGE_URI="memory://", TRACKER_API_RATE_LIMIT="3 per hour")
    token = bearer("integrator", role="supervisor")
    assert [status for status, _ in _statuses([first, second], token, 6)] == [200] * 6   # 3 on each host
    assert requests.get(f"{first}/api/v1/me", headers=token, timeout=30).status_code == 429


def test_while_redis_is_down_the_api_answers_and_each_host_still_limits(hosts, bearer, plan):
    [host] = hosts(1, TRACKER_RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", TRACKER_API_RATE_LIMIT="3 per hour")
    token = bearer("integrator", role="supervisor")
    assert [status for status, _ in _statuses([host], token, 4)] == [200, 200, 200, 429]


@pytest.mark.parametrize("value", ["rediss:/typo", "nosuchstore://host:1"])
def test_a_store_the_limiter_cannot_use_stops_the_start_naming_the_variable(tmp_path, value):
    with pytest.raises(ConfigError, match="TRACKER_RATELIMIT_STORAGE_URI"):
        read({"TRACKER_RATELIMIT_STORAGE_URI": value}, tmp_path)
