"""tensorflow.python.client.device_lib: the devices this engine runs on (one CPU)."""
import os
from dataclasses import dataclass


@dataclass
class DeviceAttributes:
    """TF's DeviceAttributes message, as list_local_devices() returns it."""

    name: str
    device_type: str
    memory_limit: int
    incarnation: int
    physical_device_desc: str


def list_local_devices(session_config=None):
    """One CPU device: this engine runs every op on the CPU, with numpy."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") \
        if hasattr(os, "sysconf") else 0
    return [DeviceAttributes("/device:CPU:0", "CPU", memory, 1,
                             f"numpy on {os.cpu_count()} CPU cores")]
