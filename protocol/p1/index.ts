// The P1 telegram frame, CRC-16/ARC, DSMR readings and the Sipster lines (issue 3).
export {};
