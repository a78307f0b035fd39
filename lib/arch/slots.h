/* SPDX-License-Identifier: MIT */
/*
 * PRS_EACH_SLOT(X) expands X(0) X(1) ... X(PRS_MAX_REGIONS - 1): the switch
 * path is unrolled over MPU slots so that every register number is a
 * compile-time constant (AArch32/AArch64 name the region in the opcode) and
 * the path has no loop at all (invariant 2, checked by the disassembly test).
 */
#ifndef PRSCHED_SLOTS_H
#define PRSCHED_SLOTS_H

#include "prsched/config.h"

#define PRS_SLOT_0(X) X(0)
#if PRS_MAX_REGIONS > 1
#define PRS_SLOT_1(X) X(1)
#else
#define PRS_SLOT_1(X)
#endif
#if PRS_MAX_REGIONS > 2
#define PRS_SLOT_2(X) X(2)
#else
#define PRS_SLOT_2(X)
#endif
#if PRS_MAX_REGIONS > 3
#define PRS_SLOT_3(X) X(3)
#else
#define PRS_SLOT_3(X)
#endif
#if PRS_MAX_REGIONS > 4
#define PRS_SLOT_4(X) X(4)
#else
#define PRS_SLOT_4(X)
#endif
#if PRS_MAX_REGIONS > 5
#define PRS_SLOT_5(X) X(5)
#else
#define PRS_SLOT_5(X)
#endif
#if PRS_MAX_REGIONS > 6
#define PRS_SLOT_6(X) X(6)
#else
#define PRS_SLOT_6(X)
#endif
#if PRS_MAX_REGIONS > 7
#define PRS_SLOT_7(X) X(7)
#else
#define PRS_SLOT_7(X)
#endif
#if PRS_MAX_REGIONS > 8
#define PRS_SLOT_8(X) X(8)
#else
#define PRS_SLOT_8(X)
#endif
#if PRS_MAX_REGIONS > 9
#define PRS_SLOT_9(X) X(9)
#else
#define PRS_SLOT_9(X)
#endif
#if PRS_MAX_REGIONS > 10
#define PRS_SLOT_10(X) X(10)
#else
#define PRS_SLOT_10(X)
#endif
#if PRS_MAX_REGIONS > 11
#define PRS_SLOT_11(X) X(11)
#else
#define PRS_SLOT_11(X)
#endif
#if PRS_MAX_REGIONS > 12
#define PRS_SLOT_12(X) X(12)
#else
#define PRS_SLOT_12(X)
#endif
#if PRS_MAX_REGIONS > 13
#define PRS_SLOT_13(X) X(13)
#else
#define PRS_SLOT_13(X)
#endif
#if PRS_MAX_REGIONS > 14
#define PRS_SLOT_14(X) X(14)
#else
#define PRS_SLOT_14(X)
#endif
#if PRS_MAX_REGIONS > 15
#define PRS_SLOT_15(X) X(15)
#else
#define PRS_SLOT_15(X)
#endif
#if PRS_MAX_REGIONS > 16
#define PRS_SLOT_16(X) X(16)
#else
#define PRS_SLOT_16(X)
#endif
#if PRS_MAX_REGIONS > 17
#define PRS_SLOT_17(X) X(17)
#else
#define PRS_SLOT_17(X)
#endif
#if PRS_MAX_REGIONS > 18
#define PRS_SLOT_18(X) X(18)
#else
#define PRS_SLOT_18(X)
#endif
#if PRS_MAX_REGIONS > 19
#define PRS_SLOT_19(X) X(19)
#else
#define PRS_SLOT_19(X)
#endif
#if PRS_MAX_REGIONS > 20
#define PRS_SLOT_20(X) X(20)
#else
#define PRS_SLOT_20(X)
#endif
#if PRS_MAX_REGIONS > 21
#define PRS_SLOT_21(X) X(21)
#else
#define PRS_SLOT_21(X)
#endif
#if PRS_MAX_REGIONS > 22
#define PRS_SLOT_22(X) X(22)
#else
#define PRS_SLOT_22(X)
#endif
#if PRS_MAX_REGIONS > 23
#define PRS_SLOT_23(X) X(23)
#else
#define PRS_SLOT_23(X)
#endif
#if PRS_MAX_REGIONS > 24
#define PRS_SLOT_24(X) X(24)
#else
#define PRS_SLOT_24(X)
#endif
#if PRS_MAX_REGIONS > 25
#define PRS_SLOT_25(X) X(25)
#else
#define PRS_SLOT_25(X)
#endif
#if PRS_MAX_REGIONS > 26
#define PRS_SLOT_26(X) X(26)
#else
#define PRS_SLOT_26(X)
#endif
#if PRS_MAX_REGIONS > 27
#define PRS_SLOT_27(X) X(27)
#else
#define PRS_SLOT_27(X)
#endif
#if PRS_MAX_REGIONS > 28
#define PRS_SLOT_28(X) X(28)
#else
#define PRS_SLOT_28(X)
#endif
#if PRS_MAX_REGIONS > 29
#define PRS_SLOT_29(X) X(29)
#else
#define PRS_SLOT_29(X)
#endif
#if PRS_MAX_REGIONS > 30
#define PRS_SLOT_30(X) X(30)
#else
#define PRS_SLOT_30(X)
#endif
#if PRS_MAX_REGIONS > 31
#define PRS_SLOT_31(X) X(31)
#else
#define PRS_SLOT_31(X)
#endif

#define PRS_EACH_SLOT(X) \
	PRS_SLOT_0(X) \
	PRS_SLOT_1(X) \
	PRS_SLOT_2(X) \
	PRS_SLOT_3(X) \
	PRS_SLOT_4(X) \
	PRS_SLOT_5(X) \
	PRS_SLOT_6(X) \
	PRS_SLOT_7(X) \
	PRS_SLOT_8(X) \
	PRS_SLOT_9(X) \
	PRS_SLOT_10(X) \
	PRS_SLOT_11(X) \
	PRS_SLOT_12(X) \
	PRS_SLOT_13(X) \
	PRS_SLOT_14(X) \
	PRS_SLOT_15(X) \
	PRS_SLOT_16(X) \
	PRS_SLOT_17(X) \
	PRS_SLOT_18(X) \
	PRS_SLOT_19(X) \
	PRS_SLOT_20(X) \
	PRS_SLOT_21(X) \
	PRS_SLOT_22(X) \
	PRS_SLOT_23(X) \
	PRS_SLOT_24(X) \
	PRS_SLOT_25(X) \
	PRS_SLOT_26(X) \
	PRS_SLOT_27(X) \
	PRS_SLOT_28(X) \
	PRS_SLOT_29(X) \
	PRS_SLOT_30(X) \
	PRS_SLOT_31(X)

#endif
