"""Settings for the subprocess of the cross-process throttling test: the test settings with the
Redis cache of ESCP4I_TEST_REDIS_URL under the test's own key prefix."""

import os

from escp4i.settings_test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["ESCP4I_TEST_REDIS_URL"],
        "KEY_PREFIX": os.environ["ESCP4I_TEST_CACHE_PREFIX"],
    }
}
