/**
 * The named constants. They are part of the language, not inputs: no input
 * can shadow them, and declared parameters cannot take their names.
 */

/** The constants' names. */
export const CONSTANT_NAMES: readonly string[] = ["e", "pi"];
