"""firmware_sim: a simulated strap with ground truth: trunk gait model, IMU error model, firmware
packetizers speaking the real devices' bytes, virtual devices behind a bleak backend, fault injection.
May import: numpy, scipy, the ``sensors`` data model, bleak backend base classes."""
