"""Sync by file exchange: .zwgk packages out and in, the county merge, the Excel round trip.

packs.pack / packs.unpack / packs.pack_all write and import packages; merge holds the merge
rules and the conflict list; validate the one check of every incoming record; signing the
offices' keys; package_format the file format; roundtrip the ledger .xlsx edited in Excel/WPS.
"""
