import pytest


@pytest.fixture
def collaboration_data(registry_data):
    """The shipped registry data plus the shipped support services and policy dialogues."""
    from escp4i.collaboration.services import collaboration_load_shipped

    return collaboration_load_shipped()
