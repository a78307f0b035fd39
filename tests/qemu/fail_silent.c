/* SPDX-License-Identifier: MIT */
/* Negative control: a guest that exits 0 but prints nothing must fail. */
int main(void);

int main(void)
{
	return 0;
}
