/* SPDX-License-Identifier: MIT */
/* EL0 code the kernel itself provides (in the user section). */
#include "internal.h"
#include "prs_kernel/user.h"

/* Where a thread's entry function returns to (its initial lr). */
PRS_K_USER void prs_k_user_exit(void)
{
	prs_k_exit(0);
}
