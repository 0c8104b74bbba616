"""Keeping the directory in step with the sources partnerships already use: the Care
Inspectorate register, ALISS and Open Referral UK feeds. Each source has a reader that turns
its file into SourceRecords; one sync (sync.py) takes them in without losing an editor's work."""
