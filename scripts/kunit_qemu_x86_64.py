# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for kcpp: x86_64 with the devices the kcpp examples
# drive (pci-testdev, edu) and two NUMA nodes of 512 MiB each (kunit.py
# gives the machine 1024 MiB, which the two memory backends must add up to).
# lpj= presets the delay loop, as kcpp_check/qemu.py's BOOT_ARGS explains;
# init_on_free=1 zeroes freed memory, so a test that reads freed memory sees
# zeroes instead of the old value, also without KASAN.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 lpj=10000000 init_on_free=1',
			   extra_qemu_params=[
				   '-bios', 'qboot.rom',
				   '-smp', '2,sockets=2,cores=1,threads=1',
				   '-object', 'memory-backend-ram,id=mem0,size=512M',
				   '-object', 'memory-backend-ram,id=mem1,size=512M',
				   '-numa', 'node,nodeid=0,cpus=0,memdev=mem0',
				   '-numa', 'node,nodeid=1,cpus=1,memdev=mem1',
				   '-device', 'pci-testdev',
				   '-device', 'edu',
			   ])
