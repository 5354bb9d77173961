#!/bin/sh
echo "queries: TODO"
