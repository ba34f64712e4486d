// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for common/corosync_conf.c: a rendered file parses back to
 * the same nodes, a nodelist rewrite keeps everything else byte for byte,
 * and input that would break the file's structure is refused.
 */
#include <errno.h>
#include <stdlib.h>

#include "corosync_conf.h"
#include "unit.h"

static const struct cc_node three[] = {
	{ 1, "", "10.213.0.11" },
	{ 2, "", "10.213.0.12" },
	{ 3, "bravo", "10.213.0.13" },
};

static void test_render_parses_back(void)
{
	struct cc_node got[8];
	char *conf = cc_render("dmpool", three, 3, 1000);

	CHECK(conf != NULL);
	if (!conf)
		return;
	CHECK(strstr(conf, "\tcluster_name: dmpool\n") != NULL);
	CHECK(strstr(conf, "\ttoken: 1000\n") != NULL);
	CHECK(strstr(conf, "\t\tname: node2\n") != NULL);
	CHECK(cc_parse_nodelist(conf, got, 8) == 3);
	CHECK(got[0].id == 1 && !strcmp(got[0].addr, "10.213.0.11"));
	CHECK_STR(got[0].name, "node1");
	CHECK(got[2].id == 3 && !strcmp(got[2].name, "bravo"));
	CHECK_STR(got[2].addr, "10.213.0.13");
	free(conf);
}

static const char admin_conf[] =
	"# my cluster\n"
	"totem {\n"
	"    version: 2\n"
	"    cluster_name: prod   # production\n"
	"    interface {\n"
	"        linknumber: 0\n"
	"    }\n"
	"}\n"
	"nodelist {\n"
	"    node {\n"
	"        ring0_addr: 192.168.1.1\n"
	"        nodeid: 7\n"
	"    }\n"
	"}\n"
	"quorum {\n"
	"    provider: corosync_votequorum\n"
	"}\n";

static void test_replace_keeps_the_rest(void)
{
	struct cc_node got[8];
	const char *tail = "quorum {\n    provider: corosync_votequorum\n}\n";
	const char *head_end = strstr(admin_conf, "nodelist {");
	char *conf;

	CHECK(cc_parse_nodelist(admin_conf, got, 8) == 1);
	CHECK(got[0].id == 7 && !strcmp(got[0].addr, "192.168.1.1"));
	conf = cc_replace_nodelist(admin_conf, three, 3);
	CHECK(conf != NULL);
	if (!conf)
		return;
	CHECK(!strncmp(conf, admin_conf, (size_t)(head_end - admin_conf)));
	CHECK(!strcmp(conf + strlen(conf) - strlen(tail), tail));
	CHECK(cc_parse_nodelist(conf, got, 8) == 3);
	CHECK_STR(got[1].addr, "10.213.0.12");
	free(conf);
}

static void test_replace_appends_when_missing(void)
{
	struct cc_node got[4];
	char *conf = cc_replace_nodelist("totem {\n}", three, 1);

	CHECK(conf != NULL);
	if (!conf)
		return;
	CHECK(!strncmp(conf, "totem {\n}\nnodelist {\n", 21));
	CHECK(cc_parse_nodelist(conf, got, 4) == 1);
	free(conf);
}

static void test_bad_input_refused(void)
{
	struct cc_node bad[2] = { { 1, "", "10.0.0.1" }, { 1, "", "10.0.0.2" } };
	struct cc_node got[2];

	errno = 0;
	CHECK(cc_render("dmpool", bad, 2, 1000) == NULL && errno == EINVAL);
	bad[1].id = 2;
	strcpy(bad[1].addr, "10.0.0.1");	/* address twice */
	CHECK(cc_render("dmpool", bad, 2, 1000) == NULL);
	strcpy(bad[1].addr, "10.0.0.2 }");	/* would end a section */
	CHECK(cc_render("dmpool", bad, 2, 1000) == NULL);
	strcpy(bad[1].addr, "10.0.0.2");
	bad[1].id = 65;
	CHECK(cc_render("dmpool", bad, 2, 1000) == NULL);
	bad[1].id = 2;
	CHECK(cc_render("dm pool", bad, 2, 1000) == NULL);
	CHECK(cc_render("dmpool", bad, 0, 1000) == NULL);
	CHECK(cc_render("dmpool", bad, 2, 10) == NULL);
	CHECK(cc_replace_nodelist("totem {\n", bad, 2) == NULL);
	CHECK(cc_replace_nodelist("}\n", bad, 2) == NULL);
	CHECK(cc_parse_nodelist("totem {\n}\n", got, 2) == -1);
	CHECK(cc_parse_nodelist("nodelist {\nnode {\nnodeid: 1\n}\n}\n",
				got, 2) == -1);
	CHECK(cc_parse_nodelist("nodelist {\nnode {\nnodeid: 0\n"
				"ring0_addr: a\n}\n}\n", got, 2) == -1);
	/* More nodes than room. */
	{
		char *conf = cc_render("dmpool", three, 3, 1000);

		CHECK(conf && cc_parse_nodelist(conf, got, 2) == -1);
		free(conf);
	}
}

int main(void)
{
	RUN(test_render_parses_back);
	RUN(test_replace_keeps_the_rest);
	RUN(test_replace_appends_when_missing);
	RUN(test_bad_input_refused);
	return unit_done();
}
