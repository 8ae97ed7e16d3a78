/* watch_container.h - which container a cgroup v2 path belongs to, from the names the
 * container engines give their cgroups. Pure: a string in, a short name out. */
#ifndef TCPT_CLI_WATCH_CONTAINER_H
#define TCPT_CLI_WATCH_CONTAINER_H

#include <stddef.h>

enum watch_container_kind {
	WATCH_CONTAINER_NONE,
	WATCH_CONTAINER_DOCKER, /* .../docker-<id>.scope (systemd driver), .../docker/<id> */
	WATCH_CONTAINER_PODMAN, /* .../libpod-<id>.scope, .../libpod-<id> (not libpod-conmon-) */
	WATCH_CONTAINER_POD,    /* .../kubepods.../...pod<uid>[.slice]/...: a Kubernetes pod */
};

/*
 * Name the container of cgroup PATH ("/system.slice/docker-<64 hex>.scope") into OUT of SIZE
 * bytes: "docker:<first 12 hex digits>", "podman:<12 hex>", or "pod:<uid>" for a Kubernetes
 * pod (its uid with the systemd driver's '_' turned back into '-'; a pod wins over the
 * container inside it). An id must be at least 12 hex digits. OUT is "" when PATH names no
 * container, or is NULL. Returns the kind.
 */
enum watch_container_kind watch_container_from_cgroup(const char *path, char *out,
						      size_t size);

/*
 * The whole id (the hex digits, up to SIZE - 1 of them) of the docker or podman container
 * of cgroup PATH, found as watch_container_from_cgroup() finds it, into ID. Returns the
 * kind; ID is "" for NONE and POD (a pod has a uid, not an engine's id).
 */
enum watch_container_kind watch_container_id(const char *path, char *id, size_t size);

/*
 * The container's name in JSON, the text of docker's containers/<id>/config.v2.json: the
 * value of its top-level "Name" ("/web", the one member whose value starts with "/"),
 * without the "/", into OUT of SIZE bytes (cut to fit). The name is as docker stored it:
 * escape it before showing it. Returns 0, or -1 when there is none.
 */
int watch_docker_config_name(const char *json, char *out, size_t size);

/* The uid of the user slice cgroup PATH lies in (".../user-1000.slice/...": systemd's
 * slice of that user's session and services, where rootless containers run), or -1. */
long watch_cgroup_user(const char *path);

/*
 * The name podman gave container ID (its whole hex id), from JSON, the text of the
 * containers/storage file overlay-containers/containers.json: an array of objects each with
 * an "id" and a "names" array; the first of the names of the object whose id is ID, into
 * OUT of SIZE bytes (cut to fit). As stored: escape it before showing it. Returns 0, or -1
 * when ID is not there or has no name.
 */
int watch_podman_containers_name(const char *json, const char *id, char *out, size_t size);

#endif
