"""Reads to a replica when the request allows it (newsroom/replicas.py); all else to the
primary. Installed by settings only when DATABASE_REPLICA_URLS names replicas."""

from newsroom.replicas import read_alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()  # None: the primary ("default")

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas follow the primary's schema by replication
