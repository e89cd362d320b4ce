"""Domain logic of 政务公开工作台账. Plain Python: nothing here may import Qt."""
