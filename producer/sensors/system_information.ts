import si from "systeminformation";
import type { GraphicsInfo } from "./gpu.ts";

/**
 * systeminformation's view of this machine's GPUs (for NVIDIA it runs
 * `nvidia-smi`). Only for the machine the program runs on: it ignores any
 * sensor root, so fixture trees never use it.
 */
export const systemGraphics: GraphicsInfo = () => si.graphics();
