"""What reading a damaged or foreign zip archive can raise (.docx, .xlsx, .zwgk and backup .zip alike)."""

import zipfile
import zlib

READ_ERRORS = (
    zipfile.BadZipFile,  # not a zip, or a damaged header
    zipfile.LargeZipFile,  # a ZIP64 archive this build will not read
    zlib.error,  # a corrupt deflate stream
    EOFError,  # a truncated member
    OSError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression method zipfile cannot decode (not a placeholder)
)
