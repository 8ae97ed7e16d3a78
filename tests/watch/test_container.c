/* Container names from cgroup v2 paths, as docker, podman and the kubelet make them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "watch_container.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void expect(const char *path, enum watch_container_kind kind, const char *name)
{
	char out[64];
	memset(out, 'x', sizeof(out));
	assert_int_equal(kind, watch_container_from_cgroup(path, out, sizeof(out)));
	assert_string_equal(name, out);
}

static void docker_both_drivers(void **state)
{
	(void)state;
	expect("/system.slice/docker-" ID64 ".scope", WATCH_CONTAINER_DOCKER,
	       "docker:0123456789ab");
	expect("/docker/" ID64, WATCH_CONTAINER_DOCKER, "docker:0123456789ab");
	expect("/docker/" ID64 "/init.scope", WATCH_CONTAINER_DOCKER, "docker:0123456789ab");
}

static void podman_but_not_its_monitor(void **state)
{
	(void)state;
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64 ".scope",
	       WATCH_CONTAINER_PODMAN, "podman:0123456789ab");
	expect("/machine.slice/libpod-conmon-" ID64 ".scope", WATCH_CONTAINER_NONE, "");
	expect("/libpod_parent/libpod-" ID64, WATCH_CONTAINER_PODMAN, "podman:0123456789ab");
}

static void kubernetes_pod_wins_over_its_container(void **state)
{
	(void)state;
	expect("/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod1b2c3d4e_aaaa_bbbb_cccc_0123456789ab.slice/"
	       "cri-containerd-" ID64 ".scope",
	       WATCH_CONTAINER_POD, "pod:1b2c3d4e-aaaa-bbbb-cccc-0123456789ab");
	expect("/kubepods/burstable/pod1b2c3d4e-aaaa-bbbb-cccc-0123456789ab/" ID64,
	       WATCH_CONTAINER_POD, "pod:1b2c3d4e-aaaa-bbbb-cccc-0123456789ab");
	expect("/kubepods.slice/kubepods-pod0a1b2c3d_0000_1111_2222_333344445555.slice/"
	       "docker-" ID64 ".scope",
	       WATCH_CONTAINER_POD, "pod:0a1b2c3d-0000-1111-2222-333344445555");
}

static void ordinary_paths_name_nothing(void **state)
{
	(void)state;
	expect("/", WATCH_CONTAINER_NONE, "");
	expect("", WATCH_CONTAINER_NONE, "");
	expect(NULL, WATCH_CONTAINER_NONE, "");
	expect("/system.slice/docker.service", WATCH_CONTAINER_NONE, "");
	expect("/system.slice/docker-abc.scope", WATCH_CONTAINER_NONE, ""); /* too short */
	expect("/docker/not-hex-at-all-but-long-enough", WATCH_CONTAINER_NONE, "");
	expect("/user.slice/pod1234567890ab.slice", WATCH_CONTAINER_NONE, ""); /* no kubepods */
	expect("/system.slice/docker-0123456789abcdefXYZ.scope", WATCH_CONTAINER_NONE, "");
}

static void output_is_cut_to_its_size(void **state)
{
	(void)state;
	char out[10];
	assert_int_equal(WATCH_CONTAINER_DOCKER,
			 watch_container_from_cgroup("/docker/" ID64, out, sizeof(out)));
	assert_string_equal("docker:01", out);
	assert_int_equal(WATCH_CONTAINER_DOCKER,
			 watch_container_from_cgroup("/docker/" ID64, out, 0));
}

static void whole_ids_for_the_engines_only(void **state)
{
	(void)state;
	char id[80];
	assert_int_equal(WATCH_CONTAINER_DOCKER,
			 watch_container_id("/system.slice/docker-" ID64 ".scope", id, sizeof(id)));
	assert_string_equal(ID64, id);
	assert_int_equal(WATCH_CONTAINER_PODMAN,
			 watch_container_id("/machine.slice/libpod-" ID64 ".scope", id, 13));
	assert_string_equal("0123456789ab", id);
	assert_int_equal(WATCH_CONTAINER_POD,
			 watch_container_id("/kubepods/pod1b2c3d4e-aaaa-bbbb-cccc-0123456789ab/"
					    ID64, id, sizeof(id)));
	assert_string_equal("", id);
	assert_int_equal(WATCH_CONTAINER_NONE, watch_container_id("/init.scope", id, sizeof(id)));
	assert_string_equal("", id);
}

static void docker_names_from_config(void **state)
{
	(void)state;
	char name[8];
	assert_int_equal(0, watch_docker_config_name(
		"{\"State\":{\"Running\":true},\"ID\":\"" ID64 "\",\"Name\":\"/web\","
		"\"MountPoints\":{\"/d\":{\"Name\":\"vol\"}}}", name, sizeof(name)));
	assert_string_equal("web", name);
	assert_int_equal(0, watch_docker_config_name("{\"Name\":\"/a-very-long-name\"}", name,
						     sizeof(name)));
	assert_string_equal("a-very-", name); /* cut to fit */
	assert_int_equal(-1, watch_docker_config_name("{\"Name\":\"vol\"}", name, sizeof(name)));
	assert_int_equal(-1, watch_docker_config_name("{\"Name\":\"/cut", name, sizeof(name)));
	assert_int_equal(-1, watch_docker_config_name("{\"Name\":\"/\"}", name, sizeof(name)));
	assert_int_equal(-1, watch_docker_config_name("", name, sizeof(name)));
	assert_int_equal(-1, watch_docker_config_name(NULL, name, sizeof(name)));
}

static void podman_names_from_containers_json(void **state)
{
	(void)state;
	static const char json[] =
		"[{\"id\":\"" ID64 "\",\"names\":[\"db\",\"alias\"],\"image\":\"i\"},"
		"{\"id\":\"bbbb" ID64 "\",\"names\":[\"web\"],\"layer\":\"l\"},"
		"{\"id\":\"cccc\",\"image\":\"no names\"},"
		"{\"id\":\"dddd\",\"names\":[\"late\"]}]";
	char name[16];
	assert_int_equal(0, watch_podman_containers_name(json, ID64, name, sizeof(name)));
	assert_string_equal("db", name); /* the first of its names */
	assert_int_equal(0, watch_podman_containers_name(json, "bbbb" ID64, name, sizeof(name)));
	assert_string_equal("web", name);
	/* an object without names must not borrow the next one's */
	assert_int_equal(-1, watch_podman_containers_name(json, "cccc", name, sizeof(name)));
	assert_int_equal(0, watch_podman_containers_name(json, "dddd", name, sizeof(name)));
	assert_string_equal("late", name);
	/* a prefix of an id is not the id */
	assert_int_equal(-1, watch_podman_containers_name(json, "bbbb", name, sizeof(name)));
	assert_int_equal(-1, watch_podman_containers_name(json, "eeee", name, sizeof(name)));
	assert_int_equal(-1, watch_podman_containers_name(NULL, ID64, name, sizeof(name)));
	assert_int_equal(-1, watch_podman_containers_name(json, "", name, sizeof(name)));
	assert_int_equal(-1, watch_podman_containers_name(
		"[{\"id\":\"ab\",\"names\":[\"cut", "ab", name, sizeof(name)));
}

static void user_slices(void **state)
{
	(void)state;
	assert_int_equal(1000, watch_cgroup_user("/user.slice/user-1000.slice/user@1000.service/"
						 "user.slice/libpod-" ID64 ".scope"));
	assert_int_equal(0, watch_cgroup_user("/user.slice/user-0.slice/session-1.scope"));
	assert_int_equal(-1, watch_cgroup_user("/machine.slice/libpod-" ID64 ".scope"));
	assert_int_equal(-1, watch_cgroup_user("/user.slice/user-x.slice"));
	assert_int_equal(-1, watch_cgroup_user("/user.slice/user--1.slice"));
	assert_int_equal(-1, watch_cgroup_user("/a/user-12.scope"));
	assert_int_equal(-1, watch_cgroup_user(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docker_both_drivers),
		cmocka_unit_test(podman_but_not_its_monitor),
		cmocka_unit_test(kubernetes_pod_wins_over_its_container),
		cmocka_unit_test(ordinary_paths_name_nothing),
		cmocka_unit_test(output_is_cut_to_its_size),
		cmocka_unit_test(whole_ids_for_the_engines_only),
		cmocka_unit_test(docker_names_from_config),
		cmocka_unit_test(podman_names_from_containers_json),
		cmocka_unit_test(user_slices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
