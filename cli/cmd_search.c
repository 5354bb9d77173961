/* cli/cmd_search.c */
