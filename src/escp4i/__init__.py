"""escp4i: the ESCP-4i programme platform.

Kept import-free on purpose: ``escp4i.scheduler`` and ``escp4i.matching`` must import without
Django. The Celery app is loaded by ``escp4i.core.apps.CoreConfig.ready``.
"""
