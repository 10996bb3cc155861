from mockmirror.core.clock import clock


def test_moments_read_in_whole_seconds_rounded_down():
    assert clock(42.9) == "0:42"
    assert clock(125) == "2:05"
    assert clock(-0.2) == "0:00"


def test_tenths_round_before_splitting_minutes():
    assert clock(59.96, tenths=True) == "1:00.0"
    assert clock(3.04, tenths=True) == "0:03.0"
    assert clock(75.5, tenths=True) == "1:15.5"
