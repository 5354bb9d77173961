/* cli/cmd_index.c */
