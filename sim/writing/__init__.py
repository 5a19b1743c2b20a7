"""Writing aids shared by every page where the candidate writes to someone:
the language of a text (``language``) and its spelling (``spelling``)."""
