"""The Qt window. Views and models here call core/; they never run SQL."""
