#include "study/ProjectDatabase.h"
