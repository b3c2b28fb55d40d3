// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the VBIOS benchmark: the same parse as nova-core's
 * (drivers/nova/core/vbios.h), as a C driver writes it, with the same checks
 * by hand: the image chain read into a kvrealloc'd buffer (1 KiB of headers,
 * then the rest of each image, each byte read once), the BIT table and its falcon-data token, the
 * PMU lookup table's FWSEC_PROD entry, the V2/V3 descriptor, the ucode and
 * signatures copied out with kmalloc. The parser (nova_c.h) reads through a
 * callback: this benchmark serves the ROM from memory, the probe benchmark
 * (probe_bench_c.c) through the simulated GPU's PROM window.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bench.h"
#include "nova_c.h"

#define ROM_MAX 0x100000
#define ROM_AHEAD 1024
#define SIG_SIZE NOVA_C_SIG_SIZE

struct rom_image {
	u8 type;
	size_t off;
	size_t size;
};

/* n bytes at off of b[len] into v; false if they are not all inside. */
static bool get(const u8 *b, size_t len, size_t off, void *v, size_t n)
{
	if (off > len || n > len - off)
		return false;
	memcpy(v, b + off, n);
	return true;
}

/* The ROM window over the benchmark's image: its bytes, zeros past its end. */
static void read_memory(void *ctx, u8 *dst, size_t off, size_t n)
{
	size_t have = off < kcpp_bench_vbios_len ? kcpp_bench_vbios_len - off : 0;
	size_t k = min(have, n);

	if (k)
		memcpy(dst, kcpp_bench_vbios + off, k);
	if (n > k)
		memset(dst + k, 0, n - k);
}

/* Parses an image's headers; returns 1 if it is the last, 0 if not, -errno. */
static int image_header(const u8 *h, size_t len, struct rom_image *im)
{
	u16 sig, pcir, slen, ilen, sub;
	u32 psig, nsig;
	size_t npde;
	int last;

	if (len < 26)
		return -EINVAL;
	memcpy(&sig, h, 2);
	if (sig != 0xaa55 && sig != 0xbb77 && sig != 0x4e56)
		return -EINVAL;
	memcpy(&pcir, h + 0x18, 2);
	if (!get(h, len, pcir, &psig, 4) || (size_t)pcir + 24 > len)
		return -EINVAL;
	if (psig != 0x52494350 && psig != 0x5344504e)
		return -EINVAL;
	memcpy(&slen, h + pcir + 0x0a, 2);
	memcpy(&ilen, h + pcir + 0x10, 2);
	if (!ilen)
		return -EINVAL;
	im->type = h[pcir + 0x14];
	im->size = (size_t)ilen * 512;
	last = !!(h[pcir + 0x15] & 0x80);
	npde = ALIGN((size_t)pcir + slen, 16);
	if (get(h, len, npde, &nsig, 4) && nsig == 0x4544504e) {
		if (npde + 11 > len)
			return -EINVAL;
		memcpy(&sub, h + npde + 8, 2);
		if (!sub)
			return -EINVAL;
		im->size = (size_t)sub * 512;
		last = !!(h[npde + 10] & 0x80);
	}
	if (im->type == 0x70)
		last = 1;
	return last;
}

/* Grows *buf to end bytes, reading the ones it does not hold yet. */
static int fill_to(nova_c_rom_read read, void *ctx, u8 **buf, size_t *have, size_t end)
{
	u8 *nb;

	if (end <= *have)
		return 0;
	nb = kvrealloc(*buf, end, GFP_KERNEL);
	if (!nb)
		return -ENOMEM;
	read(ctx, nb + *have, *have, end - *have);
	*buf = nb;
	*have = end;
	return 0;
}

static int read_images(nova_c_rom_read read, void *ctx, u8 **bufp, struct rom_image *imgs,
		       int *count)
{
	size_t off = 0, have = 0;
	u8 *buf = NULL;
	int n = 0, last, err;

	for (;;) {
		struct rom_image im;
		size_t ahead;

		err = -EINVAL;
		if (n == 16 || off >= ROM_MAX)
			goto fail;
		ahead = min_t(size_t, ROM_AHEAD, ROM_MAX - off);
		err = fill_to(read, ctx, &buf, &have, off + ahead);
		if (err)
			goto fail;
		last = image_header(buf + off, ahead, &im);
		err = -EINVAL;
		if (last < 0 || im.size > ROM_MAX - off)
			goto fail;
		err = fill_to(read, ctx, &buf, &have, off + im.size);
		if (err)
			goto fail;
		im.off = off;
		imgs[n++] = im;
		if (last)
			break;
		off = ALIGN(off + im.size, 512);
	}
	*bufp = buf;
	*count = n;
	return 0;
fail:
	kvfree(buf);
	return err;
}

static const struct rom_image *find_image(const struct rom_image *imgs, int n, u8 type, int from)
{
	for (; from < n; from++)
		if (imgs[from].type == type)
			return &imgs[from];
	return NULL;
}

static int parse(const u8 *rom, const struct rom_image *imgs, int n, struct nova_c_fwsec *f)
{
	static const u8 bit_pattern[] = { 0xff, 0xb8, 'B', 'I', 'T', 0x00 };
	const struct rom_image *pciat, *fw1, *fw2;
	const u8 *at, *f2;
	u32 w[15];
	size_t bit, i, table_off, desc_at;
	u8 hdr_size, tok_size, tok_count, th[4];
	u16 data_at = 0;
	u32 ptr, ucode_ptr = 0, hdr;
	u64 skip, ucode_len;
	bool found = false;

	pciat = find_image(imgs, n, 0x00, 0);
	fw1 = find_image(imgs, n, 0xe0, 0);
	fw2 = fw1 ? find_image(imgs, n, 0xe0, fw1 - imgs + 1) : NULL;
	if (!pciat || !fw1 || !fw2)
		return -EINVAL;
	at = rom + pciat->off;
	f2 = rom + fw2->off;

	for (bit = 0; bit + sizeof(bit_pattern) <= pciat->size; bit++)
		if (!memcmp(at + bit, bit_pattern, sizeof(bit_pattern)))
			break;
	if (bit + sizeof(bit_pattern) > pciat->size)
		return -ENOENT;
	if (bit + 12 > pciat->size)
		return -ERANGE;
	hdr_size = at[bit + 8];
	tok_size = at[bit + 9];
	tok_count = at[bit + 10];
	if (tok_size < 6)
		return -EINVAL;
	for (i = 0; i < tok_count && !found; i++) {
		size_t t = bit + hdr_size + i * tok_size;

		if (t + 6 > pciat->size)
			return -ERANGE;
		if (at[t] == 0x70) {
			memcpy(&data_at, at + t + 4, 2);
			found = true;
		}
	}
	if (!found)
		return -ENOENT;
	if (!get(at, pciat->size, data_at, &ptr, 4))
		return -ERANGE;
	if (ptr < pciat->size)
		return -EINVAL;
	table_off = ptr - pciat->size;
	{
		const u8 *timg = rom + fw1->off;
		size_t tlen = fw1->size;

		if (table_off >= fw1->size) {
			table_off -= fw1->size;
			timg = f2;
			tlen = fw2->size;
		}
		if (!get(timg, tlen, table_off, th, 4))
			return -ERANGE;
		if (th[2] < 6)
			return -EINVAL;
		found = false;
		for (i = 0; i < th[3] && !found; i++) {
			size_t e = table_off + th[1] + i * th[2];

			if (e + 6 > tlen)
				return -ERANGE;
			if (timg[e] == 0x85) {
				memcpy(&ucode_ptr, timg + e + 2, 4);
				found = true;
			}
		}
		if (!found)
			return -ENOENT;
	}
	skip = (u64)pciat->size + fw1->size;
	if (ucode_ptr < skip || ucode_ptr - skip >= fw2->size)
		return -EINVAL;
	desc_at = ucode_ptr - skip;
	if (!get(f2, fw2->size, desc_at, &hdr, 4))
		return -ERANGE;
	memset(f, 0, sizeof(*f));
	f->version = (hdr >> 8) & 0xff;
	f->header_size = hdr >> 16;
	if (f->version != 2 && f->version != 3)
		return -EINVAL;
	if (desc_at + (f->version == 2 ? 60 : 44) > fw2->size)
		return -ERANGE;
	if (f->header_size < (f->version == 2 ? 60 : 44))
		return -EINVAL;
	/* The descriptor as 32-bit words (V2: 15, V3: 11, both checked above). */
	memcpy(w, f2 + desc_at, f->version == 2 ? 60 : 44);
	if (f->version == 2) {
		f->virtual_entry = w[3];
		f->interface_offset = w[4];
		f->imem_phys_base = w[5];
		f->imem_load_size = w[6];
		f->imem_virt_base = w[7];
		f->imem_sec_base = w[8];
		f->imem_sec_size = w[9];
		f->dmem_offset = w[10];
		f->dmem_phys_base = w[11];
		f->dmem_load_size = w[12];
		if (f->imem_sec_size > f->imem_load_size || f->imem_sec_base < f->imem_virt_base)
			return -EINVAL;
	} else {
		f->pkc_data_offset = w[2];
		f->interface_offset = w[3];
		f->imem_phys_base = w[4];
		f->imem_load_size = w[5];
		f->imem_virt_base = w[6];
		f->dmem_phys_base = w[7];
		f->dmem_load_size = w[8];
		f->engine_id_mask = w[9] & 0xffff;
		f->ucode_id = (w[9] >> 16) & 0xff;
		f->sig_count = w[9] >> 24;
		f->signature_versions = w[10] & 0xffff;
	}
	ucode_len = (u64)f->imem_load_size + f->dmem_load_size;
	if (f->version == 2 && (u64)f->dmem_offset + f->dmem_load_size > ucode_len)
		return -ERANGE;
	if (desc_at + f->header_size > fw2->size ||
	    ucode_len > fw2->size - desc_at - f->header_size)
		return -ERANGE;
	f->ucode = kmalloc(ucode_len, GFP_KERNEL);
	if (!f->ucode)
		return -ENOMEM;
	memcpy(f->ucode, f2 + desc_at + f->header_size, ucode_len);
	f->sigs = NULL;
	if (f->version == 3 && f->sig_count) {
		size_t len = (size_t)f->sig_count * SIG_SIZE;

		if (desc_at + 44 + len > fw2->size) {
			kfree(f->ucode);
			return -ERANGE;
		}
		f->sigs = kmalloc(len, GFP_KERNEL);
		if (!f->sigs) {
			kfree(f->ucode);
			return -ENOMEM;
		}
		memcpy(f->sigs, f2 + desc_at + 44, len);
	}
	return 0;
}

int nova_c_vbios_fwsec(nova_c_rom_read read, void *ctx, struct nova_c_fwsec *f)
{
	struct rom_image imgs[16];
	u8 *buf;
	int count, err;

	err = read_images(read, ctx, &buf, imgs, &count);
	if (err)
		return err;
	err = parse(buf, imgs, count, f);
	kvfree(buf);
	return err;
}

void nova_c_fwsec_free(struct nova_c_fwsec *f)
{
	kfree(f->ucode);
	kfree(f->sigs);
	f->ucode = NULL;
	f->sigs = NULL;
}

long kcpp_bench_c_vbios(unsigned long n)
{
	long sum = 0;
	unsigned long i;

	if (!kcpp_bench_vbios)
		return -ENODEV;
	for (i = 0; i < n; i++) {
		struct nova_c_fwsec f;
		int err = nova_c_vbios_fwsec(read_memory, NULL, &f);

		if (err)
			return err;
		sum += f.version + f.imem_load_size + f.dmem_load_size + f.ucode[7] +
		       (f.sigs ? f.sigs[0] : 0);
		nova_c_fwsec_free(&f);
	}
	return sum;
}
