// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware loading (kcpp/firmware.h).
 */
#include <linux/version.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

#if IS_ENABLED(CONFIG_FW_LOADER)
int kcpp_request_firmware(const struct firmware **fw, const char *name, struct device *dev)
{
	return request_firmware(fw, name, dev);
}

int kcpp_firmware_request_nowarn(const struct firmware **fw, const char *name,
				 struct device *dev)
{
	return firmware_request_nowarn(fw, name, dev);
}

void kcpp_release_firmware(const struct firmware *fw)
{
	release_firmware(fw);
}

const unsigned char *kcpp_firmware_data(const struct firmware *fw, size_t *size)
{
	*size = fw->size;
	return fw->data;
}
#endif /* CONFIG_FW_LOADER */
