/* cli/cmd_lookup.c */
