#!/bin/sh
# Sipster Home reads the meter's P1 port (a USB serial adapter, /dev/ttyUSB*), which belongs to the dialout group.
echo "Sipster Home: to read your meter, add yourself to the dialout group:"
echo "  sudo usermod -aG dialout \$USER   (then log out and back in)"
exit 0
