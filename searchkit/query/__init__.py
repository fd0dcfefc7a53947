"""The query language: parsing what users type, and the options a search takes."""
