import pytest


class BaseDiffTests:
    @pytest.mark.parametrize("periods", [1, -2])
    def test_diff(self, periods):
        assert diff(periods)


class TestSparseDiff(BaseDiffTests):
    @pytest.mark.xfail(reason="sparse diff is lossy")
    def test_diff(self, periods):
        super().test_diff(periods)
